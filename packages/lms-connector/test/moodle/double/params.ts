import { invalidParameter } from './exceptions';
import type { PhpArray, PhpValue } from './form';

/**
 * A small model of Moodle's external_value / external_single_structure / external_multiple_structure,
 * enough to reproduce validate_parameters for the functions the double serves.
 */
export type ParamSpec = ValueSpec | SingleSpec | MultipleSpec;

interface Presence {
  /** VALUE_REQUIRED when true; otherwise VALUE_DEFAULT with `default` (or VALUE_OPTIONAL without one). */
  required?: boolean;
  default?: unknown;
}

export interface ValueSpec extends Presence {
  kind: 'value';
  type: 'int' | 'text' | 'raw' | 'bool' | 'alpha';
  nullable?: boolean;
}

export interface SingleSpec extends Presence {
  kind: 'single';
  keys: Record<string, ParamSpec>;
}

export interface MultipleSpec extends Presence {
  kind: 'multiple';
  item: ParamSpec;
}

export const int = (presence: Presence = { required: true }): ValueSpec => ({ kind: 'value', type: 'int', ...presence });
export const text = (presence: Presence = { required: true }): ValueSpec => ({ kind: 'value', type: 'text', ...presence });
export const raw = (presence: Presence = { required: true }): ValueSpec => ({ kind: 'value', type: 'raw', ...presence });
export const bool = (presence: Presence = { required: true }): ValueSpec => ({ kind: 'value', type: 'bool', ...presence });
export const single = (keys: Record<string, ParamSpec>, presence: Presence = { required: true }): SingleSpec => ({
  kind: 'single',
  keys,
  ...presence,
});
export const multiple = (item: ParamSpec, presence: Presence = { required: true }): MultipleSpec => ({
  kind: 'multiple',
  item,
  ...presence,
});

/** Validates the function's parameters as Moodle does and returns them with defaults filled in. */
export function validateParameters(keys: Record<string, ParamSpec>, input: PhpArray): Record<string, unknown> {
  return validateSingle(single(keys), input) as Record<string, unknown>;
}

function validate(spec: ParamSpec, value: PhpValue): unknown {
  if (spec.kind === 'value') return validateValue(spec, value);
  if (spec.kind === 'multiple') {
    if (typeof value !== 'object') throw invalidParameter(`Only arrays accepted. The bad value is: '${value}'`);
    return Object.values(value).map((item) => validate(spec.item, item));
  }
  return validateSingle(spec, value);
}

function validateSingle(spec: SingleSpec, value: PhpValue): Record<string, unknown> {
  if (typeof value !== 'object') throw invalidParameter(`Only arrays accepted. The bad value is: '${value}'`);

  const result: Record<string, unknown> = {};
  const remaining = new Set(Object.keys(value));
  for (const [key, child] of Object.entries(spec.keys)) {
    remaining.delete(key);
    const given = value[key];
    if (given === undefined) {
      if (child.required) throw invalidParameter(`Missing required key in single structure: ${key}`);
      if ('default' in child) result[key] = child.default;
      continue;
    }
    try {
      result[key] = validate(child, given);
    } catch (error) {
      if (error instanceof Error && 'debuginfo' in error && error.message === 'Invalid parameter value detected') {
        throw invalidParameter(`${key} => Invalid parameter value detected: ${(error as { debuginfo?: string }).debuginfo}`);
      }
      throw error;
    }
  }
  if (remaining.size > 0) throw invalidParameter(`Unexpected keys (${[...remaining].join(', ')}) detected in parameter array.`);
  return result;
}

function validateValue(spec: ValueSpec, value: PhpValue): unknown {
  if (typeof value === 'object') throw invalidParameter(`Invalid external api parameter: the value is an array, the server was expecting "${spec.type}" type`);

  switch (spec.type) {
    case 'int':
      if (!/^-?\d+$/.test(value.trim())) throw wrongType(value, 'int');
      return Number(value);
    case 'bool':
      if (!['0', '1', 'true', 'false', ''].includes(value)) throw wrongType(value, 'bool');
      return value === '1' || value === 'true';
    case 'alpha':
      if (!/^[A-Za-z]*$/.test(value)) throw wrongType(value, 'alpha');
      return value;
    default:
      return value;
  }
}

const wrongType = (value: string, type: string) =>
  invalidParameter(`Invalid external api parameter: the value is "${value}", the server was expecting "${type}" type`);
