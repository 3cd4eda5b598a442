export const PLUGIN_ID = 'skill-mapping';

/** Name under which the skill-tags custom field is registered; its uid is `plugin::skill-mapping.skill-tags`. */
export const SKILL_TAGS_FIELD = 'skill-tags';
