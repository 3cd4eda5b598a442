import { Button, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { Pagination } from '../../../shared/contracts';
import { getTranslation } from '../utils/getTranslation';

export const Pager = ({ pagination, onPage }: { pagination: Pagination; onPage: (page: number) => void }) => {
  const { formatMessage } = useIntl();
  const { page, pageCount, total } = pagination;

  return (
    <Flex justifyContent="space-between" paddingTop={4}>
      <Typography variant="pi" textColor="neutral600">
        {formatMessage(
          { id: getTranslation('pager.summary'), defaultMessage: 'Page {page} of {pageCount} ({total} in total)' },
          { page, pageCount: Math.max(pageCount, 1), total }
        )}
      </Typography>
      <Flex gap={2}>
        <Button variant="tertiary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          {formatMessage({ id: getTranslation('pager.previous'), defaultMessage: 'Previous' })}
        </Button>
        <Button variant="tertiary" disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
          {formatMessage({ id: getTranslation('pager.next'), defaultMessage: 'Next' })}
        </Button>
      </Flex>
    </Flex>
  );
};
