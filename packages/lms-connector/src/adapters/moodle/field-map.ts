/**
 * Field-by-field transform from the canonical model to Moodle. `moodle: null` marks a field dropped on
 * purpose; `rule` describes what happens to it. The mapping integrity test checks that every canonical field
 * is listed here and that the mapped ones arrive intact, and docs/mappings.md shows the same table.
 */
export interface FieldRule {
  moodle: string | null;
  rule: string;
}

/** Skill -> competency (`core_competency_create_competency` / `update_competency`). */
export const SKILL_TO_COMPETENCY: Record<string, FieldRule> = {
  skill_id: { moodle: 'idnumber', rule: 'unchanged; unique within the framework, so a retry finds the record' },
  name: { moodle: 'shortname', rule: 'cut to 100 characters; compared after HTML-entity decoding' },
  description: { moodle: 'description', rule: 'plain text (descriptionformat 2); null becomes an empty string' },
  alt_names: { moodle: null, rule: 'dropped: Moodle competencies have no alternative names' },
  uri: { moodle: null, rule: 'dropped: no field for a concept URI' },
  framework: { moodle: null, rule: 'dropped: every skill goes into the one framework named by MOODLE_FRAMEWORK_IDNUMBER' },
  status: { moodle: null, rule: 'dropped: a deprecated skill keeps its competency for history' },
  superseded_by: { moodle: null, rule: "not stored: course links of a deprecated skill move to the successor's competency" },
  version: { moodle: null, rule: 'dropped: the connector orders skill events by version before the adapter runs' },
};

/** Skill tag -> course competency (`core_competency_add_competency_to_course`). */
export const TAG_TO_COURSE_COMPETENCY: Record<string, FieldRule> = {
  skill_id: { moodle: 'competencyid', rule: "the skill's competency id from the mapping table" },
  skill_name: { moodle: null, rule: "dropped: the competency carries the catalog's name" },
  confidence: { moodle: null, rule: 'stops at the connector: only decides the band' },
  proficiency: { moodle: null, rule: 'stops at the connector: a band links the skill, no band (below the lowest) does not' },
  source: { moodle: null, rule: 'dropped: editor and AI tags link the same way' },
};

/** Content item -> course (through the content -> course mapping). */
export const CONTENT_TO_COURSE: Record<string, FieldRule> = {
  content_id: { moodle: 'courseid', rule: 'looked up in the content -> course mapping (COURSEID or COURSEID:CMID); unmapped items are not pushed' },
  content_type: { moodle: null, rule: 'dropped' },
  locale: { moodle: null, rule: "merged: a course's competencies are the union over every locale of every item mapped to it" },
  title: { moodle: null, rule: 'dropped: the course keeps its own name' },
  skill_tags: { moodle: 'course competencies', rule: 'active tags with a band are linked; withdrawn tags are unlinked when no other item links the skill' },
  metadata_version: { moodle: null, rule: 'dropped: the connector applies events in version order before the adapter runs' },
  updated_at: { moodle: null, rule: 'dropped' },
  deleted: { moodle: null, rule: "a deleted item's tags stop counting, so its links are removed unless MOODLE_KEEP_COURSE_LINKS=true" },
};
