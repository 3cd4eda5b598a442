import * as React from 'react';

import {
  Box,
  Button,
  Field,
  Flex,
  Grid,
  IconButton,
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
import { ArrowClockwise, Eye } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type {
  DeliveryStatus,
  Endpoint,
  EventType,
  ListDeliveries,
  ListEndpoints,
  ReplayDead,
  ReplayDelivery,
} from '../../../shared/contracts';
import { PluginNav } from '../components/Nav/PluginNav';
import { Pager } from '../components/Pager';
import { DeliveryStatusBadge } from '../components/StatusBadge';
import { PERMISSIONS } from '../permissions';
import { formatApiError } from '../utils/errors';
import { EVENT_TYPES } from '../utils/eventTypes';
import { getTranslation } from '../utils/getTranslation';

import { DeliveryDetailsModal } from './Deliveries/DeliveryDetailsModal';
import { ReplayFromModal } from './Deliveries/ReplayFromModal';

/** How often the list refreshes itself, in milliseconds, so retries show up without a reload. */
const REFRESH_INTERVAL_MS = 5000;
const STATUSES: DeliveryStatus[] = ['pending', 'retrying', 'delivered', 'dead'];
const ALL = '';

interface Filters {
  endpoint: string;
  status: string;
  event_type: string;
  content_id: string;
}

const EMPTY_FILTERS: Filters = { endpoint: ALL, status: ALL, event_type: ALL, content_id: '' };

const toQuery = (filters: Filters, page: number): ListDeliveries.Query => ({
  endpoint: filters.endpoint ? Number(filters.endpoint) : undefined,
  status: (filters.status || undefined) as DeliveryStatus | undefined,
  event_type: (filters.event_type || undefined) as EventType | undefined,
  content_id: filters.content_id.trim() || undefined,
  page,
  pageSize: 25,
});

export const DeliveriesPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(PERMISSIONS.manageEndpoints);
  const canManage = Boolean(allowedActions.canManage);

  const [filters, setFilters] = React.useState<Filters>(EMPTY_FILTERS);
  const [page, setPage] = React.useState(1);
  const [data, setData] = React.useState<ListDeliveries.Response | null>(null);
  const [loadError, setLoadError] = React.useState<string | null>(null);
  const [endpoints, setEndpoints] = React.useState<Endpoint[]>([]);
  const [detailsId, setDetailsId] = React.useState<number | null>(null);
  const [replayFromOpen, setReplayFromOpen] = React.useState(false);

  const load = React.useCallback(async () => {
    try {
      const { data: response } = await get<ListDeliveries.Response>('/skill-mapping/deliveries', {
        params: toQuery(filters, page),
      });
      setData(response);
      setLoadError(null);
    } catch (error) {
      setLoadError(formatApiError(error));
    }
  }, [get, filters, page]);

  React.useEffect(() => {
    load();
    const timer = window.setInterval(load, REFRESH_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  React.useEffect(() => {
    if (!canManage) return;
    get<ListEndpoints.Response>('/skill-mapping/endpoints')
      .then(({ data: response }) => setEndpoints(response.results))
      .catch(() => setEndpoints([]));
  }, [get, canManage]);

  const setFilter = (key: keyof Filters, value: string) => {
    setFilters((previous) => ({ ...previous, [key]: value }));
    setPage(1);
  };

  const notifyReplayed = (replayed: number) =>
    toggleNotification({
      type: 'success',
      message: formatMessage(
        { id: getTranslation('deliveries.replayed'), defaultMessage: '{count, plural, one {# event} other {# events}} queued again' },
        { count: replayed }
      ),
    });

  const replayOne = async (id: number) => {
    try {
      const { data: response } = await post<ReplayDelivery.Response>(`/skill-mapping/deliveries/${id}/replay`);
      notifyReplayed(response.replayed);
      await load();
    } catch (error) {
      toggleNotification({ type: 'danger', message: formatApiError(error) });
    }
  };

  const replayDead = async () => {
    const targets = filters.endpoint ? endpoints.filter((e) => String(e.id) === filters.endpoint) : endpoints;
    try {
      let replayed = 0;
      for (const endpoint of targets) {
        const body: ReplayDead.Request = { endpoint_id: endpoint.id };
        const { data: response } = await post<ReplayDead.Response>('/skill-mapping/deliveries/replay-dead', body);
        replayed += response.replayed;
      }
      notifyReplayed(replayed);
      await load();
    } catch (error) {
      toggleNotification({ type: 'danger', message: formatApiError(error) });
    }
  };

  const endpointUrl = (id: number) => endpoints.find((endpoint) => endpoint.id === id)?.url ?? `#${id}`;
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  return (
    <Page.Main>
      <Page.Title>{t('deliveries.title', 'Deliveries')}</Page.Title>
      <Layouts.Header
        title={t('deliveries.title', 'Deliveries')}
        subtitle={t('deliveries.subtitle', 'Every event sent to a webhook endpoint, with its attempts.')}
        primaryAction={
          <Button startIcon={<ArrowClockwise />} variant="secondary" onClick={load}>
            {t('action.refresh', 'Refresh')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <PluginNav />

          <Grid.Root gap={4} data-testid="delivery-counters">
            {(['pending', 'delivered', 'dead'] as const).map((key) => (
              <Grid.Item key={key} col={4} s={12}>
                <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} width="100%">
                  <Typography variant="sigma" textColor="neutral600">
                    {t(`delivery.status.${key}`, key)}
                  </Typography>
                  <Typography tag="p" variant="alpha" data-counter={key}>
                    {data ? data.counters[key] : '–'}
                  </Typography>
                </Box>
              </Grid.Item>
            ))}
          </Grid.Root>

          <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
            <Grid.Root gap={4}>
              {canManage ? (
                <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
                  <Field.Root name="endpoint">
                    <Field.Label>{t('deliveries.filter.endpoint', 'Endpoint')}</Field.Label>
                    <SingleSelect value={filters.endpoint} onChange={(value) => setFilter('endpoint', String(value))}>
                      <SingleSelectOption value={ALL}>{t('filter.all', 'All')}</SingleSelectOption>
                      {endpoints.map((endpoint) => (
                        <SingleSelectOption key={endpoint.id} value={String(endpoint.id)}>
                          {endpoint.url}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </Field.Root>
                </Grid.Item>
              ) : null}
              <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
                <Field.Root name="status">
                  <Field.Label>{t('deliveries.filter.status', 'Status')}</Field.Label>
                  <SingleSelect value={filters.status} onChange={(value) => setFilter('status', String(value))}>
                    <SingleSelectOption value={ALL}>{t('filter.all', 'All')}</SingleSelectOption>
                    {STATUSES.map((status) => (
                      <SingleSelectOption key={status} value={status}>
                        {t(`delivery.status.${status}`, status)}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
                <Field.Root name="event_type">
                  <Field.Label>{t('deliveries.filter.eventType', 'Event type')}</Field.Label>
                  <SingleSelect value={filters.event_type} onChange={(value) => setFilter('event_type', String(value))}>
                    <SingleSelectOption value={ALL}>{t('filter.all', 'All')}</SingleSelectOption>
                    {EVENT_TYPES.map((eventType) => (
                      <SingleSelectOption key={eventType} value={eventType}>
                        {eventType}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
                <Field.Root name="content_id">
                  <Field.Label>{t('deliveries.filter.contentId', 'Content id')}</Field.Label>
                  <Field.Input
                    value={filters.content_id}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) => setFilter('content_id', event.target.value)}
                  />
                </Field.Root>
              </Grid.Item>
            </Grid.Root>
          </Box>

          {canManage ? (
            <Flex gap={2}>
              <Button variant="danger-light" onClick={replayDead} disabled={!data || data.counters.dead === 0}>
                {t('deliveries.replayDead', 'Replay all dead')}
              </Button>
              <Button variant="secondary" onClick={() => setReplayFromOpen(true)}>
                {t('deliveries.replayFrom', 'Replay from cursor')}
              </Button>
            </Flex>
          ) : null}

          {loadError ? (
            <Typography textColor="danger600" role="alert">
              {loadError}
            </Typography>
          ) : null}

          {data && data.results.length === 0 ? (
            <Box background="neutral0" hasRadius padding={6}>
              <Typography textColor="neutral600">{t('deliveries.empty', 'No deliveries match these filters.')}</Typography>
            </Box>
          ) : null}

          {data && data.results.length > 0 ? (
            <Table colCount={8} rowCount={data.results.length + 1}>
              <Thead>
                <Tr>
                  <Th><Typography variant="sigma">{t('deliveries.column.created', 'Created')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('deliveries.column.eventType', 'Event type')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('deliveries.column.content', 'Content')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('deliveries.column.endpoint', 'Endpoint')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('deliveries.column.status', 'Status')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('deliveries.column.attempts', 'Attempts')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('deliveries.column.lastResponse', 'Last response')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('deliveries.column.actions', 'Actions')}</Typography></Th>
                </Tr>
              </Thead>
              <Tbody>
                {data.results.map((delivery) => (
                  <Tr key={delivery.id} data-testid="delivery-row" data-event-type={delivery.event_type} data-status={delivery.status}>
                    <Td><Typography>{formatDate(delivery.created_at, { dateStyle: 'short', timeStyle: 'medium' })}</Typography></Td>
                    <Td><Typography>{delivery.event_type}</Typography></Td>
                    <Td>
                      <Typography>
                        {delivery.content_id ?? '–'}
                        {delivery.locale ? ` (${delivery.locale})` : ''}
                      </Typography>
                    </Td>
                    <Td>
                      <Box maxWidth="220px">
                        <Typography ellipsis title={endpointUrl(delivery.endpoint_id)}>{endpointUrl(delivery.endpoint_id)}</Typography>
                      </Box>
                    </Td>
                    <Td><DeliveryStatusBadge status={delivery.status} /></Td>
                    <Td><Typography>{delivery.attempts}</Typography></Td>
                    <Td>
                      <Typography textColor={delivery.last_error ? 'danger600' : undefined}>
                        {delivery.last_status ?? delivery.last_error ?? '–'}
                      </Typography>
                    </Td>
                    <Td>
                      <Flex gap={1}>
                        <IconButton label={t('deliveries.details', 'Attempts')} onClick={() => setDetailsId(delivery.id)}>
                          <Eye />
                        </IconButton>
                        {canManage ? (
                          <IconButton label={t('deliveries.replay', 'Replay')} onClick={() => replayOne(delivery.id)}>
                            <ArrowClockwise />
                          </IconButton>
                        ) : null}
                      </Flex>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          ) : null}

          {data ? <Pager pagination={data.pagination} onPage={setPage} /> : null}
        </Flex>
      </Layouts.Content>

      {detailsId !== null ? (
        <DeliveryDetailsModal deliveryId={detailsId} onClose={() => setDetailsId(null)} />
      ) : null}
      {replayFromOpen ? (
        <ReplayFromModal
          endpoints={endpoints}
          onClose={() => setReplayFromOpen(false)}
          onReplayed={(count) => {
            notifyReplayed(count);
            setReplayFromOpen(false);
            load();
          }}
        />
      ) : null}
    </Page.Main>
  );
};
