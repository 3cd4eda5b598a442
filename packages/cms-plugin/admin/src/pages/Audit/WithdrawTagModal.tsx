import * as React from 'react';

import { Button, Field, Flex, Modal, Tag, Textarea, Typography } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { Skill, SkillTag, WithdrawTag } from '../../../../shared/contracts';
import { SkillCombobox } from '../../components/SkillCombobox/SkillCombobox';
import { formatApiError } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

export interface WithdrawTarget {
  content_type: string;
  content_id: string;
  locale?: string;
  tag: SkillTag;
}

interface WithdrawTagModalProps {
  target: WithdrawTarget;
  onClose: () => void;
  onWithdrawn: () => void;
}

/** Withdraws one wrong tag, and the server emits the corrective `content.tag.deprecated` event. */
export const WithdrawTagModal = ({ target, onClose, onWithdrawn }: WithdrawTagModalProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [reason, setReason] = React.useState('');
  const [successor, setSuccessor] = React.useState<Skill | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [submitting, setSubmitting] = React.useState(false);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  const submit = async () => {
    setSubmitting(true);
    setError(null);
    const body: WithdrawTag.Request = {
      content_type: target.content_type,
      content_id: target.content_id,
      locale: target.locale,
      skill_id: target.tag.skill_id,
      reason: reason.trim(),
      superseded_by: successor?.skill_id,
    };
    try {
      const { data } = await post<WithdrawTag.Response>('/skill-mapping/audit/withdraw', body);
      toggleNotification({
        type: 'success',
        message: data.event_id
          ? formatMessage(
              { id: getTranslation('withdraw.done'), defaultMessage: 'Tag withdrawn. Event {eventId} queued.' },
              { eventId: data.event_id }
            )
          : t('withdraw.doneNoEvent', 'Tag withdrawn. No enabled endpoint subscribes to content.tag.deprecated, so no event was queued.'),
      });
      onWithdrawn();
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
          <Modal.Title>
            {formatMessage(
              { id: getTranslation('withdraw.title'), defaultMessage: 'Withdraw {name}' },
              { name: target.tag.skill_name }
            )}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Typography textColor="neutral600">
              {t('withdraw.explanation', 'Receivers mark this one link as deprecated, or superseded when you pick a successor.')}
            </Typography>
            <Field.Root name="withdraw-reason" required>
              <Field.Label>{t('deprecate.reason', 'Reason')}</Field.Label>
              <Textarea value={reason} onChange={(event) => setReason(event.target.value)} />
            </Field.Root>
            {successor ? (
              <Flex gap={2}>
                <Typography>{t('deprecate.successor', 'Successor')}</Typography>
                <Tag icon={<Cross />} label={t('deprecate.clearSuccessor', 'Clear successor')} onClick={() => setSuccessor(null)}>
                  {successor.name}
                </Tag>
              </Flex>
            ) : (
              <SkillCombobox
                label={t('deprecate.successorOptional', 'Successor (optional)')}
                excludedIds={new Set([target.tag.skill_id])}
                onSelect={setSuccessor}
              />
            )}
            {error ? <Typography textColor="danger600" role="alert">{error}</Typography> : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button variant="danger" onClick={submit} loading={submitting} disabled={!reason.trim()}>
            {t('withdraw.submit', 'Withdraw')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
