/** A web service parameter: scalars, lists (sent as `[0]`, `[1]`...) and objects (sent as `[key]`). */
export type FormValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly FormValue[]
  | { readonly [key: string]: FormValue };

/**
 * Encodes parameters the way Moodle's REST server reads them: PHP bracket keys
 * (`competency[shortname]=X`, `filters[0][column]=idnumber`) in an `application/x-www-form-urlencoded`
 * body, every key and value percent-encoded by URLSearchParams.
 *
 * `null` and `undefined` fields are left out so Moodle applies its defaults. A form body cannot carry an
 * empty list, so an empty list is rejected instead of silently dropped: Moodle would report the whole
 * parameter as missing.
 */
export function encodeForm(params: Record<string, FormValue>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) appendField(form, key, value);
  return form.toString();
}

function appendField(form: URLSearchParams, key: string, value: FormValue): void {
  if (value === null || value === undefined) return;

  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new TypeError(`Cannot encode the empty list ${key}: a form body has no empty list, so send at least one element`);
    }
    value.forEach((item: FormValue, index: number) => appendField(form, `${key}[${index}]`, item));
    return;
  }

  if (typeof value === 'object') {
    for (const [child, childValue] of Object.entries(value)) appendField(form, `${key}[${child}]`, childValue);
    return;
  }

  // PHP's PARAM_BOOL reads 1 and 0; "true"/"false" are accepted too, but numbers avoid locale surprises.
  if (typeof value === 'boolean') form.append(key, value ? '1' : '0');
  else form.append(key, String(value));
}
