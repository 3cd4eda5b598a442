import * as React from 'react';

import { Box, Button, Flex, Loader, Modal, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { GetDelivery } from '../../../../shared/contracts';
import { Monospace } from '../../components/Monospace';
import { DeliveryStatusBadge } from '../../components/StatusBadge';
import { formatApiError } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

/** Shows one delivery's attempt log (status code, latency, response excerpt) and the event body as sent. */
export const DeliveryDetailsModal = ({ deliveryId, onClose }: { deliveryId: number; onClose: () => void }) => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const [delivery, setDelivery] = React.useState<GetDelivery.Response | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  React.useEffect(() => {
    get<GetDelivery.Response>(`/skill-mapping/deliveries/${deliveryId}`)
      .then(({ data }) => setDelivery(data))
      .catch((err: unknown) => setError(formatApiError(err)));
  }, [get, deliveryId]);

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('delivery.details.title', 'Delivery attempts')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {error ? <Typography textColor="danger600" role="alert">{error}</Typography> : null}
          {!delivery && !error ? <Loader /> : null}
          {delivery ? (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Flex gap={3} wrap="wrap">
                <DeliveryStatusBadge status={delivery.status} />
                <Typography>{delivery.event_type}</Typography>
                <Typography textColor="neutral600">{delivery.event_id}</Typography>
                {delivery.next_attempt_at ? (
                  <Typography textColor="neutral600">
                    {formatMessage(
                      { id: getTranslation('delivery.nextAttempt'), defaultMessage: 'Next attempt {date}' },
                      { date: formatDate(delivery.next_attempt_at, { dateStyle: 'short', timeStyle: 'medium' }) }
                    )}
                  </Typography>
                ) : null}
              </Flex>

              {delivery.attempts.length === 0 ? (
                <Typography textColor="neutral600">{t('delivery.noAttempts', 'No attempt yet.')}</Typography>
              ) : (
                <Table colCount={5} rowCount={delivery.attempts.length + 1}>
                  <Thead>
                    <Tr>
                      <Th><Typography variant="sigma">#</Typography></Th>
                      <Th><Typography variant="sigma">{t('attempt.time', 'Time')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('attempt.status', 'Status code')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('attempt.latency', 'Latency')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('attempt.response', 'Response')}</Typography></Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {delivery.attempts.map((attempt) => (
                      <Tr key={attempt.attempt} data-testid="attempt-row">
                        <Td><Typography>{attempt.attempt}</Typography></Td>
                        <Td><Typography>{formatDate(attempt.created_at, { timeStyle: 'medium' })}</Typography></Td>
                        <Td><Typography>{attempt.status_code ?? '–'}</Typography></Td>
                        <Td><Typography>{`${attempt.latency_ms} ms`}</Typography></Td>
                        <Td>
                          <Typography textColor={attempt.error ? 'danger600' : undefined}>
                            {attempt.error ?? attempt.response_excerpt ?? ''}
                          </Typography>
                        </Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              )}

              <Box>
                <Typography variant="sigma" textColor="neutral600">{t('delivery.body', 'Event body')}</Typography>
                <Box background="neutral100" padding={3} hasRadius overflow="auto" maxHeight="300px">
                  <Monospace>{JSON.stringify(delivery.body, null, 2)}</Monospace>
                </Box>
              </Box>
            </Flex>
          ) : null}
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.close', 'Close')}</Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
