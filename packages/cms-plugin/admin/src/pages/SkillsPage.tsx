import * as React from 'react';

import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Upload } from '@strapi/icons';
import { Layouts, Page, useDebounce, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { ListSkills, Skill } from '../../../shared/contracts';
import { PluginNav } from '../components/Nav/PluginNav';
import { Pager } from '../components/Pager';
import { PERMISSIONS } from '../permissions';
import { formatApiError } from '../utils/errors';
import { getTranslation } from '../utils/getTranslation';

import { DeprecateSkillModal } from './Skills/DeprecateSkillModal';
import { ImportSkillsModal } from './Skills/ImportSkillsModal';

export const SkillsPage = () => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const { allowedActions } = useRBAC(PERMISSIONS.manageSkills);
  const canManage = Boolean(allowedActions.canManage);

  const [query, setQuery] = React.useState('');
  const debouncedQuery = useDebounce(query.trim(), 250);
  const [status, setStatus] = React.useState('');
  const [page, setPage] = React.useState(1);
  const [data, setData] = React.useState<ListSkills.Response | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [importOpen, setImportOpen] = React.useState(false);
  const [deprecating, setDeprecating] = React.useState<Skill | null>(null);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  const load = React.useCallback(async () => {
    const params: ListSkills.Query = {
      q: debouncedQuery || undefined,
      status: (status || undefined) as ListSkills.Query['status'],
      page,
      pageSize: 25,
    };
    try {
      const { data: response } = await get<ListSkills.Response>('/skill-mapping/skills', { params });
      setData(response);
      setError(null);
    } catch (err) {
      setError(formatApiError(err));
    }
  }, [get, debouncedQuery, status, page]);

  React.useEffect(() => {
    load();
  }, [load]);

  return (
    <Page.Main>
      <Page.Title>{t('skills.title', 'Skills')}</Page.Title>
      <Layouts.Header
        title={t('skills.title', 'Skills')}
        subtitle={t('skills.subtitle', 'The skill catalog editors tag content with.')}
        primaryAction={
          canManage ? (
            <Button startIcon={<Upload />} onClick={() => setImportOpen(true)}>
              {t('skills.import', 'Import CSV or JSON')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <PluginNav />

          <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} data-testid="esco-attribution">
            <Typography variant="omega">
              {t('skills.attribution', 'This service uses the ESCO classification of the European Commission.')}
            </Typography>
          </Box>

          <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
            <Grid.Root gap={4}>
              <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
                <Field.Root name="skill-query">
                  <Field.Label>{t('skills.search', 'Search')}</Field.Label>
                  <Field.Input
                    type="search"
                    placeholder={t('picker.placeholder', 'Search by name or alternative label')}
                    value={query}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
                      setQuery(event.target.value);
                      setPage(1);
                    }}
                  />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Field.Root name="skill-status">
                  <Field.Label>{t('skills.status', 'Status')}</Field.Label>
                  <SingleSelect
                    value={status}
                    onChange={(value) => {
                      setStatus(String(value));
                      setPage(1);
                    }}
                  >
                    <SingleSelectOption value="">{t('filter.all', 'All')}</SingleSelectOption>
                    <SingleSelectOption value="active">{t('skill.active', 'Active')}</SingleSelectOption>
                    <SingleSelectOption value="deprecated">{t('skill.deprecated', 'Deprecated')}</SingleSelectOption>
                  </SingleSelect>
                </Field.Root>
              </Grid.Item>
            </Grid.Root>
          </Box>

          {error ? <Typography textColor="danger600" role="alert">{error}</Typography> : null}

          {data && data.results.length === 0 ? (
            <Box background="neutral0" hasRadius padding={6}>
              <Typography textColor="neutral600">{t('skills.empty', 'No skill matches.')}</Typography>
            </Box>
          ) : null}

          {data && data.results.length > 0 ? (
            <Table colCount={5} rowCount={data.results.length + 1}>
              <Thead>
                <Tr>
                  <Th><Typography variant="sigma">{t('skills.column.name', 'Name')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('skills.column.altNames', 'Alternative labels')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('skills.column.status', 'Status')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('skills.column.version', 'Version')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('skills.column.actions', 'Actions')}</Typography></Th>
                </Tr>
              </Thead>
              <Tbody>
                {data.results.map((skill) => (
                  <Tr key={skill.skill_id} data-testid="skill-row">
                    <Td>
                      <Flex direction="column" alignItems="flex-start">
                        <Typography fontWeight="semiBold">{skill.name}</Typography>
                        {skill.uri ? (
                          <Typography variant="pi" textColor="neutral600">{skill.uri}</Typography>
                        ) : null}
                      </Flex>
                    </Td>
                    <Td>
                      <Box maxWidth="320px">
                        <Typography ellipsis textColor="neutral600">{skill.alt_names.join(', ')}</Typography>
                      </Box>
                    </Td>
                    <Td>
                      {skill.status === 'deprecated' ? (
                        <Flex direction="column" alignItems="flex-start" gap={1}>
                          <Badge>{t('skill.deprecated', 'Deprecated')}</Badge>
                          {skill.superseded_by_name ? (
                            <Typography variant="pi" textColor="neutral600">
                              {formatMessage(
                                { id: getTranslation('skill.replacedBy'), defaultMessage: 'Replaced by {successor}' },
                                { successor: skill.superseded_by_name }
                              )}
                            </Typography>
                          ) : null}
                        </Flex>
                      ) : (
                        <Badge>{t('skill.active', 'Active')}</Badge>
                      )}
                    </Td>
                    <Td><Typography>{skill.version}</Typography></Td>
                    <Td>
                      {canManage && skill.status === 'active' ? (
                        <Button size="S" variant="danger-light" onClick={() => setDeprecating(skill)}>
                          {t('skills.deprecate', 'Deprecate')}
                        </Button>
                      ) : null}
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          ) : null}

          {data ? <Pager pagination={data.pagination} onPage={setPage} /> : null}
        </Flex>
      </Layouts.Content>

      {importOpen ? (
        <ImportSkillsModal
          onClose={() => {
            setImportOpen(false);
            load();
          }}
        />
      ) : null}
      {deprecating ? (
        <DeprecateSkillModal
          skill={deprecating}
          onClose={() => setDeprecating(null)}
          onDeprecated={() => {
            setDeprecating(null);
            load();
          }}
        />
      ) : null}
    </Page.Main>
  );
};
