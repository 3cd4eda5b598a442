import { PROFICIENCY_LEVELS, type Proficiency } from './model';

/** A proficiency level and the lowest confidence (inclusive) that earns it. */
export interface ProficiencyBand {
  proficiency: Proficiency;
  min: number;
}

/** Confidence below 0.5 is not linked at all; the lower bound of each band is inclusive. */
export const DEFAULT_PROFICIENCY_BANDS: readonly ProficiencyBand[] = Object.freeze([
  { proficiency: 'beginner', min: 0.5 },
  { proficiency: 'intermediate', min: 0.7 },
  { proficiency: 'advanced', min: 0.85 },
  { proficiency: 'expert', min: 0.95 },
]);

export const DEFAULT_PROFICIENCY_BANDS_TEXT = 'beginner:0.5,intermediate:0.7,advanced:0.85,expert:0.95';

export class ProficiencyBandsError extends Error {
  override readonly name = 'ProficiencyBandsError';
  readonly code = 'PROFICIENCY_BANDS_INVALID';

  constructor(
    /** The offending entry as written, or the whole text when it is empty. */
    readonly entry: string,
    message: string,
  ) {
    super(message);
  }
}

const EXAMPLE = `for example "${DEFAULT_PROFICIENCY_BANDS_TEXT}"`;

function parseEntry(entry: string): ProficiencyBand {
  const [name, threshold, ...rest] = entry.split(':').map((part) => part.trim());
  if (!name || threshold === undefined || threshold === '' || rest.length > 0) {
    throw new ProficiencyBandsError(entry, `Band "${entry}" is not "level:min"; write each band as level:min, ${EXAMPLE}.`);
  }

  if (!(PROFICIENCY_LEVELS as readonly string[]).includes(name)) {
    throw new ProficiencyBandsError(
      entry,
      `Band "${entry}" names unknown level "${name}"; use one of ${PROFICIENCY_LEVELS.join(', ')}.`,
    );
  }

  const min = Number(threshold);
  if (!Number.isFinite(min) || min < 0 || min > 1) {
    throw new ProficiencyBandsError(entry, `Band "${entry}" has threshold "${threshold}"; use a number from 0 to 1.`);
  }

  return { proficiency: name as Proficiency, min };
}

/**
 * Parses bands written as `level:min` pairs separated by commas. Levels must appear in rising order
 * (beginner, intermediate, advanced, expert; any may be left out) with strictly rising thresholds.
 */
export function parseProficiencyBands(text: string): ProficiencyBand[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) {
    throw new ProficiencyBandsError(text, `Proficiency bands are empty; give at least one band, ${EXAMPLE}.`);
  }

  const bands: ProficiencyBand[] = [];
  for (const entry of entries) {
    const band = parseEntry(entry);
    const previous = bands[bands.length - 1];

    if (previous) {
      const rank = PROFICIENCY_LEVELS.indexOf(band.proficiency);
      const previousRank = PROFICIENCY_LEVELS.indexOf(previous.proficiency);
      if (rank <= previousRank) {
        throw new ProficiencyBandsError(
          entry,
          `Band "${entry}" must come after a lower level than "${previous.proficiency}"; list levels from beginner to expert, each once.`,
        );
      }
      if (band.min <= previous.min) {
        throw new ProficiencyBandsError(
          entry,
          `Band "${entry}" must start above ${previous.min} (the "${previous.proficiency}" band); thresholds must rise strictly.`,
        );
      }
    }

    bands.push(band);
  }

  return bands;
}

/** Returns the highest band whose lower bound the confidence reaches, or null below the lowest band. */
export function deriveProficiency(
  confidence: number,
  bands: readonly ProficiencyBand[] = DEFAULT_PROFICIENCY_BANDS,
): Proficiency | null {
  if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1) {
    throw new RangeError(`Confidence ${confidence} is outside 0..1.`);
  }

  let derived: Proficiency | null = null;
  for (const band of bands) {
    if (confidence >= band.min) derived = band.proficiency;
  }
  return derived;
}
