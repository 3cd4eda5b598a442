import * as React from 'react';

import { Button, Field, Flex, Modal, Tag, Textarea, Typography } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { DeprecateSkill, Skill } from '../../../../shared/contracts';
import { SkillCombobox } from '../../components/SkillCombobox/SkillCombobox';
import { formatApiError } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

interface DeprecateSkillModalProps {
  skill: Skill;
  onClose: () => void;
  onDeprecated: () => void;
}

/** Deprecates a skill. With a successor, the server moves every tagged item to it. */
export const DeprecateSkillModal = ({ skill, onClose, onDeprecated }: DeprecateSkillModalProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const [reason, setReason] = React.useState('');
  const [successor, setSuccessor] = React.useState<Skill | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [result, setResult] = React.useState<DeprecateSkill.Response | null>(null);
  const [submitting, setSubmitting] = React.useState(false);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  const submit = async () => {
    setSubmitting(true);
    setError(null);
    const body: DeprecateSkill.Request = { reason: reason.trim(), superseded_by: successor?.skill_id };
    try {
      const { data } = await post<DeprecateSkill.Response>(
        `/skill-mapping/skills/${encodeURIComponent(skill.skill_id)}/deprecate`,
        body
      );
      setResult(data);
    } catch (err) {
      setError(formatApiError(err));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && (result ? onDeprecated() : onClose())}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>
            {formatMessage(
              { id: getTranslation('deprecate.title'), defaultMessage: 'Deprecate {name}' },
              { name: skill.name }
            )}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {result ? (
            <Typography role="status">
              {formatMessage(
                {
                  id: getTranslation('deprecate.done'),
                  defaultMessage: 'Deprecated. {count, plural, =0 {No content item was} one {# content item was} other {# content items were}} moved to the successor.',
                },
                { count: result.rewritten }
              )}
            </Typography>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Field.Root name="reason" required>
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
                  hint={t('deprecate.successorHint', 'Items tagged with this skill are moved to the successor.')}
                  excludedIds={new Set([skill.skill_id])}
                  onSelect={setSuccessor}
                />
              )}
              {error ? <Typography textColor="danger600" role="alert">{error}</Typography> : null}
            </Flex>
          )}
        </Modal.Body>
        <Modal.Footer>
          {result ? (
            <Button onClick={onDeprecated}>{t('action.close', 'Close')}</Button>
          ) : (
            <>
              <Modal.Close>
                <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
              </Modal.Close>
              <Button variant="danger" onClick={submit} loading={submitting} disabled={!reason.trim()}>
                {t('skills.deprecate', 'Deprecate')}
              </Button>
            </>
          )}
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
