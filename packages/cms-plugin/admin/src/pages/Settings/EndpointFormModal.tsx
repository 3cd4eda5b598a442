import * as React from 'react';

import { Button, Checkbox, Field, Flex, Modal, Toggle, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { Endpoint, EventType, ListContentTypes, SaveEndpoint } from '../../../../shared/contracts';
import { readApiError } from '../../utils/errors';
import { EVENT_TYPES } from '../../utils/eventTypes';
import { getTranslation } from '../../utils/getTranslation';

interface EndpointFormModalProps {
  /** null creates a new endpoint. */
  endpoint: Endpoint | null;
  onClose: () => void;
  /** Receives the secret when the endpoint was created, to show it once. */
  onSaved: (secret?: string) => void;
}

const toggleIn = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((value) => value !== item));

export const EndpointFormModal = ({ endpoint, onClose, onSaved }: EndpointFormModalProps) => {
  const { formatMessage } = useIntl();
  const { get, post, put } = useFetchClient();
  const [form, setForm] = React.useState<SaveEndpoint.Request>({
    url: endpoint?.url ?? '',
    event_types: endpoint?.event_types ?? [],
    content_types: endpoint?.content_types ?? [],
    include_drafts: endpoint?.include_drafts ?? false,
    enabled: endpoint?.enabled ?? true,
  });
  const [contentTypes, setContentTypes] = React.useState<ListContentTypes.Response['results']>([]);
  const [errors, setErrors] = React.useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [submitting, setSubmitting] = React.useState(false);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  React.useEffect(() => {
    get<ListContentTypes.Response>('/skill-mapping/content-types')
      .then(({ data }) => setContentTypes(data.results))
      .catch(() => setContentTypes([]));
  }, [get]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setErrors(null);
    const body: SaveEndpoint.Request = { ...form, url: form.url.trim() };
    try {
      const { data } = endpoint
        ? await put<SaveEndpoint.Response>(`/skill-mapping/endpoints/${endpoint.id}`, body)
        : await post<SaveEndpoint.Response>('/skill-mapping/endpoints', body);
      onSaved(data.secret);
    } catch (err) {
      const info = readApiError(err);
      setErrors({
        message: info.code ? `${info.message} [${info.code}]` : info.message,
        fields: Object.fromEntries(info.issues.map((issue) => [issue.path.split('.')[0] ?? issue.path, issue.message])),
      });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <form onSubmit={submit}>
          <Modal.Header>
            <Modal.Title>{endpoint ? t('endpoint.editTitle', 'Edit endpoint') : t('settings.endpoints.add', 'Add endpoint')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={5}>
              <Field.Root
                name="url"
                required
                error={errors?.fields.url}
                hint={t('endpoint.url.hint', 'HTTPS URL of the receiver; plain HTTP only for hosts allowed in the plugin config.')}
              >
                <Field.Label>{t('endpoint.url', 'URL')}</Field.Label>
                <Field.Input
                  type="url"
                  value={form.url}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, url: e.target.value })}
                />
                <Field.Hint />
                <Field.Error />
              </Field.Root>

              <Flex tag="fieldset" direction="column" alignItems="flex-start" gap={2}>
                <Typography tag="legend" variant="pi" fontWeight="bold">
                  {t('endpoint.events.legend', 'Event types (none selected: every type)')}
                </Typography>
                {EVENT_TYPES.map((eventType: EventType) => (
                  <Checkbox
                    key={eventType}
                    checked={form.event_types.includes(eventType)}
                    onCheckedChange={(checked) =>
                      setForm({ ...form, event_types: toggleIn(form.event_types, eventType, checked === true) })
                    }
                  >
                    {eventType}
                  </Checkbox>
                ))}
              </Flex>

              <Flex tag="fieldset" direction="column" alignItems="flex-start" gap={2}>
                <Typography tag="legend" variant="pi" fontWeight="bold">
                  {t('endpoint.contentTypes.legend', 'Content types (none selected: every type with a skill-tags field)')}
                </Typography>
                {contentTypes.map((contentType) => (
                  <Checkbox
                    key={contentType.uid}
                    checked={form.content_types.includes(contentType.uid)}
                    onCheckedChange={(checked) =>
                      setForm({ ...form, content_types: toggleIn(form.content_types, contentType.uid, checked === true) })
                    }
                  >
                    {`${contentType.displayName} (${contentType.uid})`}
                  </Checkbox>
                ))}
              </Flex>

              <Checkbox
                checked={form.include_drafts ?? false}
                onCheckedChange={(checked) => setForm({ ...form, include_drafts: checked === true })}
              >
                {t('endpoint.includeDrafts', 'Also send events for drafts')}
              </Checkbox>

              <Field.Root name="enabled">
                <Field.Label>{t('endpoint.enabledLabel', 'Delivery')}</Field.Label>
                <Toggle
                  onLabel={t('endpoint.enabled', 'Enabled')}
                  offLabel={t('endpoint.disabled', 'Disabled')}
                  checked={form.enabled}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, enabled: e.target.checked })}
                />
              </Field.Root>

              {errors ? <Typography textColor="danger600" role="alert">{errors.message}</Typography> : null}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
            </Modal.Close>
            <Button type="submit" loading={submitting}>{t('action.save', 'Save')}</Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
