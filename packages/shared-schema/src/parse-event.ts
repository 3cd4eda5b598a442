import { CURRENT_SCHEMA_VERSION } from './limits';
import { EVENT_TYPES, type EventType, SkillMappingEvent } from './events';
import { formatIssues, type Issue } from './issues';

export type ParseEventResult = { ok: true; event: SkillMappingEvent } | { ok: false; issues: Issue[] };

type RawEvent = Record<string, unknown>;

/** Rewrites an event of version `from` into version `from + 1`. */
export type Upcaster = (event: RawEvent) => RawEvent;

/**
 * The one registry of upcasters, keyed by the version they upgrade from. Version 1 is current, so it
 * is empty; a version 2 of the contract adds `1: (event) => ...` here and raises CURRENT_SCHEMA_VERSION.
 */
export const UPCASTERS: Readonly<Record<number, Upcaster>> = {};

export interface EventParserOptions {
  currentVersion: number;
  upcasters: Readonly<Record<number, Upcaster>>;
}

function isRecord(value: unknown): value is RawEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function upcast(
  input: RawEvent,
  options: EventParserOptions,
): { ok: true; event: RawEvent } | { ok: false; issue: Issue } {
  const declared = input.schema_version ?? 1;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 1) {
    return {
      ok: false,
      issue: { path: 'schema_version', code: 'invalid_type', message: 'schema_version must be a positive integer' },
    };
  }

  if (declared > options.currentVersion) {
    return {
      ok: false,
      issue: {
        path: 'schema_version',
        code: 'SCHEMA_VERSION_UNSUPPORTED',
        message: `schema_version ${declared} is newer than the supported version ${options.currentVersion}; upgrade the receiver`,
      },
    };
  }

  let event: RawEvent = { ...input, schema_version: declared };
  for (let version = declared; version < options.currentVersion; version += 1) {
    const upcaster = options.upcasters[version];
    if (!upcaster) {
      return {
        ok: false,
        issue: {
          path: 'schema_version',
          code: 'SCHEMA_VERSION_UNSUPPORTED',
          message: `no upcaster from schema_version ${version} to ${version + 1}`,
        },
      };
    }
    event = { ...upcaster(event), schema_version: version + 1 };
  }

  return { ok: true, event };
}

/** Builds a parser with its own version and upcasters; `parseEvent` is the one for the current contract. */
export function createEventParser(options: EventParserOptions): (input: unknown) => ParseEventResult {
  return (input) => {
    if (!isRecord(input)) {
      return { ok: false, issues: [{ path: '', code: 'invalid_type', message: 'An event must be a JSON object' }] };
    }

    const upcasted = upcast(input, options);
    if (!upcasted.ok) return { ok: false, issues: [upcasted.issue] };

    const eventType = upcasted.event.event_type;
    if (typeof eventType === 'string' && !EVENT_TYPES.includes(eventType as EventType)) {
      return {
        ok: false,
        issues: [
          {
            path: 'event_type',
            code: 'EVENT_TYPE_UNKNOWN',
            message: `event_type "${eventType}" is unknown; expected one of ${EVENT_TYPES.join(', ')}`,
          },
        ],
      };
    }

    const result = SkillMappingEvent.safeParse(upcasted.event);
    if (!result.success) return { ok: false, issues: formatIssues(result.error) };
    return { ok: true, event: result.data };
  };
}

/**
 * Validates an incoming event against the current contract: a missing `schema_version` means 1,
 * older versions are upcast, a newer one is rejected with `SCHEMA_VERSION_UNSUPPORTED`, and unknown
 * fields are kept.
 */
export const parseEvent = createEventParser({ currentVersion: CURRENT_SCHEMA_VERSION, upcasters: UPCASTERS });
