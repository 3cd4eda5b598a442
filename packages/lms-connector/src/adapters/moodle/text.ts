import { decodeHTML } from 'entities';

/** Moodle's `shortname` and `idnumber` columns hold at most 100 characters. */
export const MOODLE_NAME_MAX_CHARS = 100;

/** Cuts a value to Moodle's column size, counting Unicode code points as Moodle's core_text does. */
export function toMoodleName(value: string): string {
  const codePoints = Array.from(value);
  return codePoints.length <= MOODLE_NAME_MAX_CHARS ? value : codePoints.slice(0, MOODLE_NAME_MAX_CHARS).join('');
}

/**
 * Plain text of a value Moodle returned: shortnames pass through format_string (entities such as
 * `&amp;` come back encoded) and descriptions through format_text (may be wrapped in HTML), so tags are
 * dropped, entities decoded and whitespace collapsed before comparing.
 */
export function moodlePlainText(value: string | null | undefined): string {
  const withoutTags = (value ?? '').replace(/<[^>]*>/g, ' ');
  return normalizeSpace(decodeHTML(withoutTags));
}

function normalizeSpace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Returns true when the text Moodle stores reads the same as the connector's value. */
export function sameText(moodleValue: string | null | undefined, connectorValue: string | null | undefined): boolean {
  if ((moodleValue ?? '') === (connectorValue ?? '')) return true;
  return moodlePlainText(moodleValue) === normalizeSpace(connectorValue ?? '');
}
