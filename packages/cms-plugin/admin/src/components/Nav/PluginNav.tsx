import { Button, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useLocation, useNavigate } from 'react-router-dom';

import { PLUGIN_ID } from '../../pluginId';
import { getTranslation } from '../../utils/getTranslation';

const PAGES = [
  { path: 'deliveries', id: 'nav.deliveries', defaultMessage: 'Deliveries' },
  { path: 'skills', id: 'nav.skills', defaultMessage: 'Skills' },
  { path: 'audit', id: 'nav.audit', defaultMessage: 'Audit' },
] as const;

/** Switches between the plugin pages and marks the current one with aria-current. */
export const PluginNav = () => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const { pathname } = useLocation();

  return (
    <Flex
      tag="nav"
      gap={2}
      aria-label={formatMessage({ id: getTranslation('nav.label'), defaultMessage: 'Skill mapping pages' })}
    >
      {PAGES.map((page) => {
        const current = pathname.endsWith(`/${page.path}`);
        return (
          <Button
            key={page.path}
            variant={current ? 'secondary' : 'tertiary'}
            aria-current={current ? 'page' : undefined}
            onClick={() => navigate(`/plugins/${PLUGIN_ID}/${page.path}`)}
          >
            {formatMessage({ id: getTranslation(page.id), defaultMessage: page.defaultMessage })}
          </Button>
        );
      })}
    </Flex>
  );
};
