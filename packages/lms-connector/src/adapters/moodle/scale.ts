import type { ScaleMapping } from './config';
import type { MoodleScaleValue } from './functions';

/** Scale items named by the mapping that the Moodle scale does not have. */
export function itemsOutsideScale(mapping: ScaleMapping, values: readonly MoodleScaleValue[]): number[] {
  const known = new Set(values.map((value) => value.id));
  const named = [mapping.defaultItem, ...mapping.proficientItems, ...Object.values(mapping.bands)];
  return [...new Set(named)].filter((item) => !known.has(item)).sort((a, b) => a - b);
}

/**
 * Builds Moodle's `scaleconfiguration` JSON: element 0 names the scale, then one entry per scale item with
 * its default and proficient flags. Every item is listed so the framework reads the same in Moodle's
 * editor as in this configuration.
 */
export function buildScaleConfiguration(scaleId: number, mapping: ScaleMapping, values: readonly MoodleScaleValue[]): string {
  const proficient = new Set(mapping.proficientItems);
  const entries = values.map((value) => ({
    id: value.id,
    scaledefault: value.id === mapping.defaultItem ? 1 : 0,
    proficient: proficient.has(value.id) ? 1 : 0,
  }));
  return JSON.stringify([{ scaleid: String(scaleId) }, ...entries]);
}
