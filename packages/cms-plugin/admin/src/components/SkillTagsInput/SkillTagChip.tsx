import {
  Badge,
  Box,
  Field,
  Flex,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { Proficiency, Skill, SkillTag } from '../../../../shared/contracts';
import { getTranslation } from '../../utils/getTranslation';

interface SkillTagChipProps {
  tag: SkillTag;
  /** Current catalog entry, when known, which shows whether the skill was deprecated after tagging. */
  skill?: Skill;
  proficiencyLevels: Proficiency[];
  readOnly: boolean;
  onRemove: () => void;
  onProficiencyChange: (proficiency: Proficiency) => void;
}

export const SkillTagChip = ({
  tag,
  skill,
  proficiencyLevels,
  readOnly,
  onRemove,
  onProficiencyChange,
}: SkillTagChipProps) => {
  const { formatMessage } = useIntl();
  const name = skill?.name ?? tag.skill_name;
  const deprecated = skill?.status === 'deprecated';
  const proficiencyFor = formatMessage(
    { id: getTranslation('tag.proficiencyFor'), defaultMessage: 'Proficiency for {name}' },
    { name }
  );
  const proficiencyLabel = (level: Proficiency) =>
    formatMessage({ id: getTranslation(`proficiency.${level}`), defaultMessage: level });

  return (
    <Box
      tag="li"
      background={deprecated ? 'warning100' : 'primary100'}
      borderColor={deprecated ? 'warning200' : 'primary200'}
      hasRadius
      paddingTop={1}
      paddingBottom={1}
      paddingLeft={3}
      paddingRight={readOnly ? 3 : 1}
      data-testid="skill-tag-chip"
      data-skill-id={tag.skill_id}
    >
      <Flex gap={2} wrap="wrap">
        <Flex direction="column" alignItems="flex-start">
          <Typography fontWeight="semiBold">{name}</Typography>
          {deprecated ? (
            <Typography variant="pi" textColor="warning700">
              {skill?.superseded_by_name
                ? formatMessage(
                    {
                      id: getTranslation('skill.deprecatedWithSuccessor'),
                      defaultMessage: 'Deprecated, replaced by {successor}',
                    },
                    { successor: skill.superseded_by_name }
                  )
                : formatMessage({ id: getTranslation('skill.deprecated'), defaultMessage: 'Deprecated' })}
            </Typography>
          ) : null}
        </Flex>

        <Badge
          title={formatMessage({ id: getTranslation('tag.confidence'), defaultMessage: 'Confidence' })}
        >
          {formatMessage(
            { id: getTranslation('tag.confidenceValue'), defaultMessage: '{value, number, percent}' },
            { value: tag.confidence }
          )}
        </Badge>

        {readOnly ? (
          <Typography variant="pi" textColor="neutral700">
            {tag.proficiency
              ? proficiencyLabel(tag.proficiency)
              : formatMessage({ id: getTranslation('proficiency.none'), defaultMessage: 'No proficiency' })}
          </Typography>
        ) : (
          // Its own Field.Root, because inside the field's root the select would take the field's label as its name.
          <Field.Root name={`proficiency-${tag.skill_id}`} id={`proficiency-${tag.skill_id}`} minWidth="150px">
            <VisuallyHidden>
              <Field.Label>{proficiencyFor}</Field.Label>
            </VisuallyHidden>
            <SingleSelect
              size="S"
              aria-label={proficiencyFor}
              placeholder={formatMessage({ id: getTranslation('proficiency.none'), defaultMessage: 'No proficiency' })}
              value={tag.proficiency ?? null}
              onChange={(value) => onProficiencyChange(value as Proficiency)}
            >
              {proficiencyLevels.map((level) => (
                <SingleSelectOption key={level} value={level}>
                  {proficiencyLabel(level)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        )}

        {readOnly ? null : (
          <IconButton
            variant="ghost"
            label={formatMessage({ id: getTranslation('tag.remove'), defaultMessage: 'Remove {name}' }, { name })}
            onClick={onRemove}
          >
            <Cross />
          </IconButton>
        )}
      </Flex>
    </Box>
  );
};
