import * as React from 'react';

import { Badge, Box, Button, Field, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';

import type { AuditRow, ListAudit, SkillTag } from '../../../shared/contracts';
import { PluginNav } from '../components/Nav/PluginNav';
import { Pager } from '../components/Pager';
import { PERMISSIONS } from '../permissions';
import { formatApiError } from '../utils/errors';
import { getTranslation } from '../utils/getTranslation';

import { WithdrawTagModal, type WithdrawTarget } from './Audit/WithdrawTagModal';

const userName = (user: AuditRow['user']) =>
  user ? [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email : null;

/** Compares two tag lists by skill id: added, removed, and kept with a new proficiency. */
const diffTags = (before: SkillTag[], after: SkillTag[]) => {
  const beforeIds = new Set(before.map((tag) => tag.skill_id));
  const afterIds = new Set(after.map((tag) => tag.skill_id));
  return {
    added: after.filter((tag) => !beforeIds.has(tag.skill_id)),
    removed: before.filter((tag) => !afterIds.has(tag.skill_id)),
    changed: after.filter((tag) => {
      const previous = before.find((old) => old.skill_id === tag.skill_id);
      return previous !== undefined && previous.proficiency !== tag.proficiency;
    }),
  };
};

/** Picks the newest row of each (content type, locale) of the item, because its `after` is the current tag set. */
const latestRowsByLocale = (rows: AuditRow[]) => {
  const sorted = [...rows].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const latest = new Map<string, AuditRow>();
  for (const row of sorted) {
    const key = `${row.content_type}|${row.locale ?? ''}`;
    if (!latest.has(key)) latest.set(key, row);
  }
  return [...latest.values()];
};

export const AuditPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const { allowedActions } = useRBAC(PERMISSIONS.manageEndpoints);
  const canWithdraw = Boolean(allowedActions.canManage);
  const [searchParams, setSearchParams] = useSearchParams();
  const contentId = searchParams.get('content_id') ?? '';

  const [input, setInput] = React.useState(contentId);
  const [page, setPage] = React.useState(1);
  const [data, setData] = React.useState<ListAudit.Response | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [withdrawing, setWithdrawing] = React.useState<WithdrawTarget | null>(null);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  const load = React.useCallback(async () => {
    const params: ListAudit.Query = { content_id: contentId || undefined, page, pageSize: 25 };
    try {
      const { data: response } = await get<ListAudit.Response>('/skill-mapping/audit', { params });
      setData(response);
      setError(null);
    } catch (err) {
      setError(formatApiError(err));
    }
  }, [get, contentId, page]);

  React.useEffect(() => {
    load();
  }, [load]);

  const showItem = (id: string) => {
    setInput(id);
    setPage(1);
    setSearchParams(id ? { content_id: id } : {});
  };

  const currentRows = contentId && data ? latestRowsByLocale(data.results) : [];

  return (
    <Page.Main>
      <Page.Title>{t('audit.title', 'Audit')}</Page.Title>
      <Layouts.Header
        title={t('audit.title', 'Audit')}
        subtitle={t('audit.subtitle', 'Who changed which skill tags, and when.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <PluginNav />

          <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
            <Flex
              tag="form"
              gap={2}
              alignItems="flex-end"
              onSubmit={(event: React.FormEvent) => {
                event.preventDefault();
                showItem(input.trim());
              }}
            >
              <Box flex="1">
                <Field.Root name="audit-content-id" hint={t('audit.contentId.hint', 'The documentId of the content item; leave empty for every item.')}>
                  <Field.Label>{t('deliveries.filter.contentId', 'Content id')}</Field.Label>
                  <Field.Input value={input} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setInput(event.target.value)} />
                  <Field.Hint />
                </Field.Root>
              </Box>
              <Button type="submit">{t('audit.show', 'Show')}</Button>
            </Flex>
          </Box>

          {error ? <Typography textColor="danger600" role="alert">{error}</Typography> : null}

          {currentRows.map((row) => (
            <Box key={`${row.content_type}|${row.locale ?? ''}`} background="neutral0" hasRadius shadow="tableShadow" padding={4} data-testid="audit-current-tags">
              <Typography variant="delta" tag="h2">
                {formatMessage(
                  { id: getTranslation('audit.currentTags'), defaultMessage: 'Current tags ({contentType}{locale, select, none {} other {, {locale}}})' },
                  { contentType: row.content_type, locale: row.locale ?? 'none' }
                )}
              </Typography>
              <Flex gap={2} wrap="wrap" paddingTop={2}>
                {row.after.length === 0 ? (
                  <Typography textColor="neutral600">{t('field.empty', 'No skills tagged yet.')}</Typography>
                ) : null}
                {row.after.map((tag) => (
                  <Flex key={tag.skill_id} gap={2} background="neutral100" hasRadius padding={2}>
                    <Typography>{tag.skill_name}</Typography>
                    {tag.proficiency ? <Badge>{t(`proficiency.${tag.proficiency}`, tag.proficiency)}</Badge> : null}
                    {canWithdraw ? (
                      <Button
                        size="S"
                        variant="danger-light"
                        onClick={() =>
                          setWithdrawing({
                            content_type: row.content_type,
                            content_id: row.content_id,
                            locale: row.locale ?? undefined,
                            tag,
                          })
                        }
                      >
                        {t('audit.withdraw', 'Withdraw this tag')}
                      </Button>
                    ) : null}
                  </Flex>
                ))}
              </Flex>
            </Box>
          ))}

          {data && data.results.length === 0 ? (
            <Box background="neutral0" hasRadius padding={6}>
              <Typography textColor="neutral600">{t('audit.empty', 'No tag change recorded.')}</Typography>
            </Box>
          ) : null}

          {data && data.results.length > 0 ? (
            <Table colCount={6} rowCount={data.results.length + 1}>
              <Thead>
                <Tr>
                  <Th><Typography variant="sigma">{t('audit.column.when', 'When')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('audit.column.who', 'Who')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('audit.column.item', 'Content item')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('audit.column.action', 'Action')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('audit.column.changes', 'Changes')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('audit.column.published', 'Published')}</Typography></Th>
                </Tr>
              </Thead>
              <Tbody>
                {data.results.map((row) => {
                  const { added, removed, changed } = diffTags(row.before, row.after);
                  return (
                    <Tr key={row.id} data-testid="audit-row">
                      <Td><Typography>{formatDate(row.created_at, { dateStyle: 'short', timeStyle: 'medium' })}</Typography></Td>
                      <Td><Typography>{userName(row.user) ?? t('audit.system', 'System or API')}</Typography></Td>
                      <Td>
                        <Button variant="ghost" size="S" onClick={() => showItem(row.content_id)}>
                          {`${row.content_id}${row.locale ? ` (${row.locale})` : ''}`}
                        </Button>
                      </Td>
                      <Td><Typography>{row.action}</Typography></Td>
                      <Td>
                        <Flex direction="column" alignItems="flex-start">
                          {added.map((tag) => (
                            <Typography key={`+${tag.skill_id}`} textColor="success600">{`+ ${tag.skill_name}`}</Typography>
                          ))}
                          {removed.map((tag) => (
                            <Typography key={`-${tag.skill_id}`} textColor="danger600">{`− ${tag.skill_name}`}</Typography>
                          ))}
                          {changed.map((tag) => (
                            <Typography key={`~${tag.skill_id}`} textColor="neutral700">
                              {`~ ${tag.skill_name}: ${tag.proficiency ?? '–'}`}
                            </Typography>
                          ))}
                        </Flex>
                      </Td>
                      <Td><Typography>{row.published ? t('audit.yes', 'Yes') : t('audit.no', 'No')}</Typography></Td>
                    </Tr>
                  );
                })}
              </Tbody>
            </Table>
          ) : null}

          {data ? <Pager pagination={data.pagination} onPage={setPage} /> : null}
        </Flex>
      </Layouts.Content>

      {withdrawing ? (
        <WithdrawTagModal
          target={withdrawing}
          onClose={() => setWithdrawing(null)}
          onWithdrawn={() => {
            setWithdrawing(null);
            load();
          }}
        />
      ) : null}
    </Page.Main>
  );
};
