import { z } from 'zod';

/**
 * One wording for every refused input, naming the field: "crim is required", "limit must be at most 500",
 * "services.0 must be one of: v1, v2" — instead of the library's own ("Invalid input: expected number, received
 * NaN", "Too big: expected number to be <=500"). Set once for the process by importing @mlapi/schemas, so the
 * server, the CLI and the models' schemas word their messages alike; a schema's own `error` still wins.
 */

/** The name of the field an issue is about: its path (`items.0.crim`), or "the input" for the whole of it. */
const fieldOf = (path: readonly PropertyKey[] | undefined) =>
  path && path.length ? path.map((p) => (typeof p === 'symbol' ? String(p) : p)).join('.') : 'the input';

const expectedWords: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
  bigint: 'an integer',
  null: 'null',
};

const formatWords: Record<string, string> = {
  email: 'an email address',
  url: 'a URL',
  uuid: 'a UUID',
  datetime: 'a date-time such as 2025-01-01T12:00:00Z',
  date: 'a date such as 2025-01-01',
  regex: 'in the expected format',
};

const listOf = (values: readonly unknown[]) =>
  values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

function sizeWords(
  origin: string | undefined,
  bound: number | bigint,
  unit: 'at most' | 'at least',
  inclusive: boolean,
): string {
  if (origin === 'string') return `${unit} ${bound} character${bound === 1 ? '' : 's'} long`;
  if (origin === 'array' || origin === 'set') return `${unit} ${bound} item${bound === 1 ? '' : 's'}`;
  if (inclusive) return `${unit} ${bound}`;
  return `${unit === 'at most' ? 'less' : 'more'} than ${bound}`;
}

/** The message of a too_big or too_small issue: a bound on a number, on a length or on a count of items. */
function describeBound(field: string, iss: Extract<z.core.$ZodRawIssue, { code: 'too_big' | 'too_small' }>): string {
  if (iss.code === 'too_big')
    return `${field} must be ${sizeWords(iss.origin, iss.maximum, 'at most', iss.inclusive ?? true)}`;
  if (iss.origin === 'string' && Number(iss.minimum) === 1) return `${field} must not be empty`;
  return `${field} must be ${sizeWords(iss.origin, iss.minimum, 'at least', iss.inclusive ?? true)}`;
}

/** The message of one issue, or undefined to keep zod's own. */
export function describeIssue(iss: z.core.$ZodRawIssue): string | undefined {
  const field = fieldOf(iss.path);
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return `${field} is required`;
      return `${field} must be ${expectedWords[iss.expected] ?? iss.expected}`;
    case 'too_big':
    case 'too_small':
      return describeBound(field, iss);
    case 'invalid_value':
      return iss.values.length === 1
        ? `${field} must be ${listOf(iss.values)}`
        : `${field} must be one of: ${listOf(iss.values)}`;
    case 'invalid_format':
      return `${field} must be ${formatWords[iss.format] ?? `a valid ${iss.format}`}`;
    case 'not_multiple_of':
      return `${field} must be a multiple of ${iss.divisor}`;
    case 'unrecognized_keys':
      return `${field === 'the input' ? 'the input' : field} has unknown field${iss.keys.length === 1 ? '' : 's'}: ${iss.keys.join(', ')}`;
    case 'invalid_union':
      return `${field} is not valid`;
    case 'invalid_key':
      return `${field} has an invalid key`;
    case 'invalid_element':
      return `${field} has an invalid element`;
    default:
      return undefined;
  }
}

z.config({ customError: describeIssue });

/**
 * A type error of one field for a schema's own `error` option: "… is required" when the field is missing, else
 * "… must be <expected>" (e.g. `z.number({ error: mustBe('crim', 'a number') })`).
 */
export const mustBe = (field: string, expected: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `${field} is required` : `${field} must be ${expected}`;
