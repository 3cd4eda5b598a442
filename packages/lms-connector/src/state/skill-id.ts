const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Fields that carry a skill UUID in events and in the CMS pull API.
const SKILL_ID_FIELDS = new Set(['skill_id', 'superseded_by']);

/**
 * Returns a UUID in lower case and any other text unchanged. RFC 9562 UUIDs compare without regard to
 * case, but the tables compare text, so every skill UUID is stored in lower case.
 */
export function normalizeSkillId(value: string): string {
  const trimmed = value.trim();
  return UUID.test(trimmed) ? trimmed.toLowerCase() : value;
}

/** Returns a copy of an event or CMS page with every `skill_id` and `superseded_by` UUID in lower case. */
export function withLowerCaseSkillIds<T>(value: T): T {
  if (Array.isArray(value)) return value.map((entry) => withLowerCaseSkillIds(entry)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    copy[key] = SKILL_ID_FIELDS.has(key) && typeof entry === 'string' ? normalizeSkillId(entry) : withLowerCaseSkillIds(entry);
  }
  return copy as T;
}
