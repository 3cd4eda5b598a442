import * as React from 'react';

import { Button, Field, Flex, Modal, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { Endpoint, ReplayFrom } from '../../../../shared/contracts';
import { formatApiError } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

interface ReplayFromModalProps {
  endpoints: Endpoint[];
  onClose: () => void;
  onReplayed: (count: number) => void;
}

/** Queues again every event after a change feed cursor (or from an RFC 3339 time, inclusive). */
export const ReplayFromModal = ({ endpoints, onClose, onReplayed }: ReplayFromModalProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const [cursor, setCursor] = React.useState('');
  const [endpointId, setEndpointId] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);
  const [submitting, setSubmitting] = React.useState(false);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  const submit = async () => {
    setSubmitting(true);
    setError(null);
    const body: ReplayFrom.Request = {
      cursor: cursor.trim(),
      endpoint_id: endpointId ? Number(endpointId) : undefined,
    };
    try {
      const { data } = await post<ReplayFrom.Response>('/skill-mapping/deliveries/replay-from', body);
      onReplayed(data.replayed);
    } catch (err) {
      setError(formatApiError(err));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('deliveries.replayFrom', 'Replay from cursor')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Field.Root
              name="cursor"
              required
              hint={t('replayFrom.cursor.hint', 'A change feed cursor, or an RFC 3339 time such as 2026-08-01T12:00:00Z (inclusive).')}
            >
              <Field.Label>{t('replayFrom.cursor', 'Cursor')}</Field.Label>
              <Field.Input
                value={cursor}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) => setCursor(event.target.value)}
              />
              <Field.Hint />
            </Field.Root>
            <Field.Root name="endpoint_id">
              <Field.Label>{t('deliveries.filter.endpoint', 'Endpoint')}</Field.Label>
              <SingleSelect value={endpointId} onChange={(value) => setEndpointId(String(value))}>
                <SingleSelectOption value="">{t('replayFrom.allEndpoints', 'Every subscribed endpoint')}</SingleSelectOption>
                {endpoints.map((endpoint) => (
                  <SingleSelectOption key={endpoint.id} value={String(endpoint.id)}>
                    {endpoint.url}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
            {error ? <Typography textColor="danger600" role="alert">{error}</Typography> : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button onClick={submit} loading={submitting} disabled={!cursor.trim()}>
            {t('replayFrom.submit', 'Replay')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
