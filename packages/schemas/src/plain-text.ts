import { z } from 'zod';

/**
 * Text the database can store as given: no NUL character (PostgreSQL `text`/`jsonb` refuse it, and a statement
 * with parameters inlined breaks on it) and no unpaired UTF-16 surrogate (not valid Unicode, refused by `jsonb`
 * and not encodable as UTF-8). Every input string that can reach SQL is checked with this, at the schema.
 * Passwords are the exception: they are hashed, never stored.
 */
export function isPlainText(value: string): boolean {
  return !value.includes('\u0000') && isWellFormed(value);
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `String.prototype.isWellFormed` (Node ≥ 20), with the same test by pattern where a runtime lacks it. */
function isWellFormed(value: string): boolean {
  const native = (value as string & { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(value) : !loneSurrogate.test(value);
}

/** The message of a refused string, naming the field. */
const plainTextMessage = (field: string) => `${field} must not contain NUL characters or unpaired surrogates`;

/**
 * A string schema that refuses NUL characters and unpaired surrogates with a message naming `field`; chain further
 * checks (`.trim()`, `.min()`, …) on it as on `z.string()`. `params` are those of `z.string()` (e.g. its type error).
 */
export function plainString(field: string, params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine(isPlainText, { error: plainTextMessage(field) });
}
