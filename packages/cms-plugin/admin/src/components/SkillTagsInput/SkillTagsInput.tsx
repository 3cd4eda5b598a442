import * as React from 'react';

import { Box, Field, Flex, Typography } from '@strapi/design-system';
import { useField, type InputProps } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { Proficiency, Skill, SkillTag } from '../../../../shared/contracts';
import { usePluginConfig } from '../../hooks/usePluginConfig';
import { useTaggedSkills } from '../../hooks/useTaggedSkills';
import { getTranslation } from '../../utils/getTranslation';
import { SkillCombobox } from '../SkillCombobox/SkillCombobox';

import { SkillTagChip } from './SkillTagChip';

type SkillTagsInputProps = InputProps & { labelAction?: React.ReactNode };

const toTagList = (value: unknown): SkillTag[] => (Array.isArray(value) ? (value as SkillTag[]) : []);

/**
 * Input of the `plugin::skill-mapping.skill-tags` custom field. The stored value is the list of skill
 * tags; the server fills `skill_name` from the catalog, so the name sent here is only for display.
 */
export const SkillTagsInput = React.forwardRef<HTMLDivElement, SkillTagsInputProps>(
  ({ name, label, hint, disabled = false, required = false, labelAction }, forwardedRef) => {
    const { formatMessage } = useIntl();
    const field = useField<SkillTag[] | null>(name);
    const { config, isLoading: isConfigLoading, error: configError } = usePluginConfig();
    const tags = toTagList(field.value);
    const skillsById = useTaggedSkills(tags);

    const readOnly = disabled || isConfigLoading || !config.canTag;
    const taggedIds = React.useMemo(() => new Set(tags.map((tag) => tag.skill_id)), [tags]);

    // An empty list is stored as null, the empty value Strapi's "required" check rejects.
    const setTags = (next: SkillTag[]) => field.onChange(name, next.length > 0 ? next : null);

    const addSkill = (skill: Skill) => {
      if (taggedIds.has(skill.skill_id)) return;
      setTags([
        ...tags,
        {
          skill_id: skill.skill_id,
          skill_name: skill.name,
          confidence: 1,
          proficiency: config.defaultProficiency,
          source: 'editor',
        },
      ]);
    };

    const removeTag = (skillId: string) => setTags(tags.filter((tag) => tag.skill_id !== skillId));

    const changeProficiency = (skillId: string, proficiency: Proficiency) =>
      setTags(tags.map((tag) => (tag.skill_id === skillId ? { ...tag, proficiency } : tag)));

    const readOnlyReason = (() => {
      if (isConfigLoading) return undefined;
      if (configError) {
        return formatMessage(
          {
            id: getTranslation('field.readOnly.configFailed'),
            defaultMessage: 'Read-only: the skill-mapping settings could not be loaded ({message}). Reload the page.',
          },
          { message: configError }
        );
      }
      if (!config.canTag) {
        return formatMessage({
          id: getTranslation('field.readOnly.noPermission'),
          defaultMessage: 'Read-only: your role lacks the permission to tag content.',
        });
      }
      return undefined;
    })();

    return (
      <Field.Root
        ref={forwardedRef}
        name={name}
        id={name}
        error={field.error}
        hint={hint}
        required={required}
        data-testid="skill-tags-field"
        data-readonly={readOnly ? 'true' : 'false'}
      >
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Field.Label action={labelAction}>{label}</Field.Label>

          {tags.length === 0 ? (
            <Typography variant="omega" textColor="neutral600">
              {formatMessage({ id: getTranslation('field.empty'), defaultMessage: 'No skills tagged yet.' })}
            </Typography>
          ) : (
            <Flex
              tag="ul"
              wrap="wrap"
              gap={2}
              aria-label={formatMessage({ id: getTranslation('field.tagList'), defaultMessage: 'Tagged skills' })}
            >
              {tags.map((tag) => (
                <SkillTagChip
                  key={tag.skill_id}
                  tag={tag}
                  skill={skillsById.get(tag.skill_id)}
                  proficiencyLevels={config.proficiencyLevels}
                  readOnly={readOnly}
                  onRemove={() => removeTag(tag.skill_id)}
                  onProficiencyChange={(proficiency) => changeProficiency(tag.skill_id, proficiency)}
                />
              ))}
            </Flex>
          )}

          {readOnly ? (
            readOnlyReason ? (
              <Typography variant="pi" textColor="neutral600" data-testid="skill-tags-readonly">
                {readOnlyReason}
              </Typography>
            ) : null
          ) : (
            <Box>
              <SkillCombobox
                id={`${name}-search`}
                label={formatMessage({ id: getTranslation('picker.label'), defaultMessage: 'Add a skill' })}
                placeholder={formatMessage({
                  id: getTranslation('picker.placeholder'),
                  defaultMessage: 'Search by name or alternative label',
                })}
                excludedIds={taggedIds}
                onSelect={addSkill}
              />
            </Box>
          )}

          <Field.Hint />
          <Field.Error />
        </Flex>
      </Field.Root>
    );
  }
);
