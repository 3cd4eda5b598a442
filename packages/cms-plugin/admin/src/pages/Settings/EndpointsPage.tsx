import * as React from 'react';

import { Badge, Box, Button, Dialog, Flex, IconButton, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Key, PaperPlane, Pencil, Plus, Trash } from '@strapi/icons';
import { ConfirmDialog, Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { DeleteEndpoint, Endpoint, ListEndpoints, RotateSecret, TestEndpoint } from '../../../../shared/contracts';
import { PERMISSIONS } from '../../permissions';
import { formatApiError } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

import { EndpointFormModal } from './EndpointFormModal';
import { SecretModal } from './SecretModal';
import { TestResult } from './TestResult';

export const EndpointsPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get, post, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [endpoints, setEndpoints] = React.useState<Endpoint[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [editing, setEditing] = React.useState<Endpoint | 'new' | null>(null);
  const [deleting, setDeleting] = React.useState<Endpoint | null>(null);
  const [secret, setSecret] = React.useState<{ value: string; expiresAt?: string } | null>(null);
  const [testResults, setTestResults] = React.useState<Record<number, TestEndpoint.Response | 'running'>>({});
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  const load = React.useCallback(async () => {
    try {
      const { data } = await get<ListEndpoints.Response>('/skill-mapping/endpoints');
      setEndpoints(data.results);
      setError(null);
    } catch (err) {
      setError(formatApiError(err));
    }
  }, [get]);

  React.useEffect(() => {
    load();
  }, [load]);

  const rotate = async (endpoint: Endpoint) => {
    try {
      const body: RotateSecret.Request = {};
      const { data } = await post<RotateSecret.Response>(`/skill-mapping/endpoints/${endpoint.id}/rotate-secret`, body);
      setSecret({ value: data.secret, expiresAt: data.previous_secret_expires_at });
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: formatApiError(err) });
    }
  };

  const sendTest = async (endpoint: Endpoint) => {
    setTestResults((previous) => ({ ...previous, [endpoint.id]: 'running' }));
    try {
      const { data } = await post<TestEndpoint.Response>(`/skill-mapping/endpoints/${endpoint.id}/test`);
      setTestResults((previous) => ({ ...previous, [endpoint.id]: data }));
    } catch (err) {
      setTestResults((previous) => ({
        ...previous,
        [endpoint.id]: { status: null, latency_ms: 0, response_excerpt: '', error: formatApiError(err) },
      }));
    }
  };

  const remove = async (endpoint: Endpoint) => {
    try {
      await del<DeleteEndpoint.Response>(`/skill-mapping/endpoints/${endpoint.id}`);
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: formatApiError(err) });
    } finally {
      setDeleting(null);
    }
  };

  return (
    <Page.Main>
      <Page.Title>{t('settings.endpoints.title', 'Webhook endpoints')}</Page.Title>
      <Layouts.Header
        title={t('settings.endpoints.title', 'Webhook endpoints')}
        subtitle={t('settings.endpoints.subtitle', 'Receivers of signed skill-tag events (Standard Webhooks).')}
        primaryAction={
          <Button startIcon={<Plus />} onClick={() => setEditing('new')}>
            {t('settings.endpoints.add', 'Add endpoint')}
          </Button>
        }
      />
      <Layouts.Content>
        {error ? <Typography textColor="danger600" role="alert">{error}</Typography> : null}
        {!endpoints && !error ? <Page.Loading /> : null}
        {endpoints && endpoints.length === 0 ? (
          <Box background="neutral0" hasRadius padding={6}>
            <Typography textColor="neutral600">{t('settings.endpoints.empty', 'No endpoint yet. Add one to start delivering events.')}</Typography>
          </Box>
        ) : null}
        {endpoints && endpoints.length > 0 ? (
          <Table colCount={5} rowCount={endpoints.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{t('endpoint.url', 'URL')}</Typography></Th>
                <Th><Typography variant="sigma">{t('endpoint.events', 'Events')}</Typography></Th>
                <Th><Typography variant="sigma">{t('endpoint.secret', 'Secret')}</Typography></Th>
                <Th><Typography variant="sigma">{t('endpoint.state', 'State')}</Typography></Th>
                <Th><Typography variant="sigma">{t('deliveries.column.actions', 'Actions')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {endpoints.map((endpoint) => (
                <React.Fragment key={endpoint.id}>
                  <Tr data-testid="endpoint-row">
                    <Td><Typography fontWeight="semiBold">{endpoint.url}</Typography></Td>
                    <Td>
                      <Typography variant="pi">
                        {endpoint.event_types.length > 0 ? endpoint.event_types.join(', ') : t('endpoint.allEvents', 'All events')}
                      </Typography>
                    </Td>
                    <Td>
                      <Flex direction="column" alignItems="flex-start">
                        <Typography variant="pi">{`…${endpoint.secret_hint}`}</Typography>
                        {endpoint.previous_secret_expires_at ? (
                          <Typography variant="pi" textColor="neutral600">
                            {formatMessage(
                              { id: getTranslation('endpoint.rotationUntil'), defaultMessage: 'Old secret also signs until {date}' },
                              { date: formatDate(endpoint.previous_secret_expires_at, { dateStyle: 'short', timeStyle: 'short' }) }
                            )}
                          </Typography>
                        ) : null}
                      </Flex>
                    </Td>
                    <Td>
                      <Flex direction="column" alignItems="flex-start" gap={1}>
                        <Badge>{endpoint.enabled ? t('endpoint.enabled', 'Enabled') : t('endpoint.disabled', 'Disabled')}</Badge>
                        {endpoint.flagged_reason ? (
                          <Typography variant="pi" textColor="warning700">{endpoint.flagged_reason}</Typography>
                        ) : null}
                      </Flex>
                    </Td>
                    <Td>
                      <Flex gap={1}>
                        <Button size="S" variant="secondary" startIcon={<PaperPlane />} onClick={() => sendTest(endpoint)} loading={testResults[endpoint.id] === 'running'}>
                          {t('endpoint.test', 'Send test event')}
                        </Button>
                        <IconButton label={t('endpoint.rotate', 'Rotate secret')} onClick={() => rotate(endpoint)}>
                          <Key />
                        </IconButton>
                        <IconButton label={t('endpoint.edit', 'Edit')} onClick={() => setEditing(endpoint)}>
                          <Pencil />
                        </IconButton>
                        <IconButton label={t('endpoint.delete', 'Delete')} onClick={() => setDeleting(endpoint)}>
                          <Trash />
                        </IconButton>
                      </Flex>
                    </Td>
                  </Tr>
                  {testResults[endpoint.id] && testResults[endpoint.id] !== 'running' ? (
                    <Tr>
                      <Td colSpan={5}>
                        <TestResult result={testResults[endpoint.id] as TestEndpoint.Response} />
                      </Td>
                    </Tr>
                  ) : null}
                </React.Fragment>
              ))}
            </Tbody>
          </Table>
        ) : null}
      </Layouts.Content>

      {editing ? (
        <EndpointFormModal
          endpoint={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(createdSecret) => {
            setEditing(null);
            if (createdSecret) setSecret({ value: createdSecret });
            load();
          }}
        />
      ) : null}
      {secret ? <SecretModal secret={secret.value} previousExpiresAt={secret.expiresAt} onClose={() => setSecret(null)} /> : null}
      <Dialog.Root open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <ConfirmDialog
          onConfirm={async () => {
            if (deleting) await remove(deleting);
          }}
        >
          {formatMessage(
            { id: getTranslation('endpoint.deleteConfirm'), defaultMessage: 'Delete {url}? Its pending events are not sent.' },
            { url: deleting?.url ?? '' }
          )}
        </ConfirmDialog>
      </Dialog.Root>
    </Page.Main>
  );
};

/** The settings page, shown only to admins with the endpoints permission. */
export const ProtectedEndpointsPage = () => (
  <Page.Protect permissions={PERMISSIONS.manageEndpoints}>
    <EndpointsPage />
  </Page.Protect>
);
