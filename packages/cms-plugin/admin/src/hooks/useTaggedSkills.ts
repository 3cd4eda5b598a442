import * as React from 'react';

import { useFetchClient } from '@strapi/strapi/admin';

import type { SearchSkills, Skill, SkillTag } from '../../../shared/contracts';

/**
 * Looks up the current catalog entry of each tagged skill, so a tag whose skill was deprecated after
 * tagging shows its successor.
 *
 * NOTE: the admin API has no lookup by skill id, so this searches each tag's name (deprecated skills
 * included) and keeps the exact id match: one request per tag, skipped for skills already known.
 */
export const useTaggedSkills = (tags: SkillTag[]): Map<string, Skill> => {
  const { get } = useFetchClient();
  const [skills, setSkills] = React.useState<Map<string, Skill>>(new Map());
  const requested = React.useRef(new Set<string>());

  React.useEffect(() => {
    const missing = tags.filter((tag) => !requested.current.has(tag.skill_id) && tag.skill_name);

    for (const tag of missing) {
      requested.current.add(tag.skill_id);
      const params: SearchSkills.Query = { q: tag.skill_name, limit: 20, includeDeprecated: true };

      get<SearchSkills.Response>('/skill-mapping/skills/search', { params })
        .then(({ data }) => {
          const match = data.results.find((skill) => skill.skill_id === tag.skill_id);
          if (match) setSkills((previous) => new Map(previous).set(match.skill_id, match));
        })
        .catch(() => {
          // The chip falls back to the stored name; forget the id so a later render retries.
          requested.current.delete(tag.skill_id);
        });
    }
  }, [tags, get]);

  return skills;
};
