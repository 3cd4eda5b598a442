import * as React from 'react';

import { Badge, Box, Field, Flex, Loader, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { styled } from 'styled-components';

import type { Skill } from '../../../../shared/contracts';
import { useSkillSearch } from '../../hooks/useSkillSearch';
import { getTranslation } from '../../utils/getTranslation';

export interface SkillComboboxProps {
  /** Accessible name of the search input. */
  label: string;
  hint?: string;
  placeholder?: string;
  disabled?: boolean;
  /** Skills shown but not selectable, e.g. the ones already tagged. */
  excludedIds?: ReadonlySet<string>;
  includeDeprecated?: boolean;
  onSelect: (skill: Skill) => void;
  id?: string;
}

const ListBox = styled.ul`
  position: absolute;
  z-index: 4;
  left: 0;
  right: 0;
  max-height: 320px;
  overflow-y: auto;
  margin-top: ${({ theme }) => theme.spaces[1]};
  padding: ${({ theme }) => theme.spaces[1]};
  background: ${({ theme }) => theme.colors.neutral0};
  border: 1px solid ${({ theme }) => theme.colors.neutral150};
  border-radius: ${({ theme }) => theme.borderRadius};
  box-shadow: ${({ theme }) => theme.shadows.filterShadow};
  list-style: none;
`;

const OptionItem = styled.li<{ $active: boolean; $disabled: boolean }>`
  padding: ${({ theme }) => `${theme.spaces[2]} ${theme.spaces[4]}`};
  border-radius: ${({ theme }) => theme.borderRadius};
  cursor: ${({ $disabled }) => ($disabled ? 'not-allowed' : 'pointer')};
  opacity: ${({ $disabled }) => ($disabled ? 0.6 : 1)};
  background: ${({ theme, $active }) => ($active ? theme.colors.primary100 : 'transparent')};
`;

/**
 * Type-ahead over the skill catalog following the WAI-ARIA combobox pattern: the input keeps focus,
 * arrow keys move the active option (announced through aria-activedescendant), Enter picks it and
 * Escape closes the list.
 */
export const SkillCombobox = ({
  label,
  hint,
  placeholder,
  disabled = false,
  excludedIds,
  includeDeprecated = false,
  onSelect,
  id,
}: SkillComboboxProps) => {
  const { formatMessage } = useIntl();
  const generatedId = React.useId();
  const inputId = id ?? `skill-combobox-${generatedId}`;
  const listId = `${inputId}-listbox`;

  const [query, setQuery] = React.useState('');
  const [open, setOpen] = React.useState(false);
  const [activeIndex, setActiveIndex] = React.useState(-1);
  const { results, isLoading, error, debouncedQuery } = useSkillSearch(query, { includeDeprecated });

  const isSelectable = (skill: Skill) => !excludedIds?.has(skill.skill_id);
  const optionId = (index: number) => `${inputId}-option-${index}`;

  React.useEffect(() => {
    setActiveIndex(results.findIndex(isSelectable));
    // The active option resets only when a new result list arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [results]);

  const choose = (skill: Skill | undefined) => {
    if (!skill || !isSelectable(skill)) return;
    onSelect(skill);
    setQuery('');
    setOpen(false);
  };

  const moveActive = (step: 1 | -1) => {
    if (results.length === 0) return;
    let next = activeIndex;
    for (let i = 0; i < results.length; i += 1) {
      next = (next + step + results.length) % results.length;
      if (isSelectable(results[next]!)) break;
    }
    setActiveIndex(next);
    document.getElementById(optionId(next))?.scrollIntoView({ block: 'nearest' });
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        else moveActive(1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (open) moveActive(-1);
        break;
      case 'Enter':
        if (open && activeIndex >= 0) {
          // Without this the Enter would submit the surrounding content-manager form.
          event.preventDefault();
          choose(results[activeIndex]);
        }
        break;
      case 'Escape':
        if (open) {
          event.preventDefault();
          event.stopPropagation();
          setOpen(false);
        } else {
          setQuery('');
        }
        break;
      default:
        break;
    }
  };

  const showList = open && debouncedQuery.length > 0 && !disabled;
  const statusText = isLoading
    ? formatMessage({ id: getTranslation('picker.loading'), defaultMessage: 'Searching skills…' })
    : error
      ? formatMessage(
          { id: getTranslation('picker.error'), defaultMessage: 'Search failed: {message}' },
          { message: error }
        )
      : results.length === 0
        ? formatMessage(
            { id: getTranslation('picker.empty'), defaultMessage: 'No skill matches "{query}"' },
            { query: debouncedQuery }
          )
        : null;

  return (
    <Field.Root name={inputId} id={inputId} hint={hint}>
      <Box position="relative">
        <Field.Label>{label}</Field.Label>
        <Field.Input
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={listId}
          aria-activedescendant={showList && activeIndex >= 0 ? optionId(activeIndex) : undefined}
          placeholder={placeholder}
          disabled={disabled}
          value={query}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
            setQuery(event.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          endAction={isLoading && showList ? <Loader small /> : undefined}
        />
        {showList ? (
          <ListBox id={listId} role="listbox" aria-label={label}>
            {statusText ? (
              <Box padding={2} role="presentation">
                <Typography variant="omega" textColor="neutral600" aria-live="polite">
                  {statusText}
                </Typography>
              </Box>
            ) : null}
            {results.map((skill, index) => {
              const selectable = isSelectable(skill);
              return (
                <OptionItem
                  key={skill.skill_id}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === activeIndex}
                  aria-disabled={!selectable}
                  $active={index === activeIndex}
                  $disabled={!selectable}
                  // mousedown, not click: the input's blur would close the list before a click lands.
                  onMouseDown={(event) => {
                    event.preventDefault();
                    choose(skill);
                  }}
                  onMouseEnter={() => selectable && setActiveIndex(index)}
                >
                  <SkillOptionContent skill={skill} alreadyTagged={!selectable} query={debouncedQuery} />
                </OptionItem>
              );
            })}
          </ListBox>
        ) : null}
        <Field.Hint />
      </Box>
    </Field.Root>
  );
};

const SkillOptionContent = ({
  skill,
  alreadyTagged,
  query,
}: {
  skill: Skill;
  alreadyTagged: boolean;
  query: string;
}) => {
  const { formatMessage } = useIntl();
  const needle = query.toLowerCase();
  const nameMatches = skill.name.toLowerCase().includes(needle);
  // When the hit came from an alternative label, show that label so the match is explainable.
  const matchedAltName = nameMatches
    ? undefined
    : skill.alt_names.find((name) => name.toLowerCase().includes(needle));

  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Flex gap={2}>
        <Typography fontWeight="semiBold">{skill.name}</Typography>
        {skill.status === 'deprecated' ? (
          <Badge>
            {formatMessage({ id: getTranslation('skill.deprecated'), defaultMessage: 'Deprecated' })}
          </Badge>
        ) : null}
        {alreadyTagged ? (
          <Badge>
            {formatMessage({ id: getTranslation('picker.alreadyTagged'), defaultMessage: 'Already tagged' })}
          </Badge>
        ) : null}
      </Flex>
      {matchedAltName ? (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(
            { id: getTranslation('picker.alsoKnownAs'), defaultMessage: 'Also known as: {name}' },
            { name: matchedAltName }
          )}
        </Typography>
      ) : null}
    </Flex>
  );
};
