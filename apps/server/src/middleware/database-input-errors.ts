/**
 * PostgreSQL data exceptions that mean the client sent a value the database cannot take — a defence behind the
 * schemas, which should refuse such input first. Each maps to a message that names the kind of problem, never
 * the SQL or the value.
 */
const badInputCodes: Record<string, string> = {
  '22001': 'a text value is longer than the database stores',
  '22003': 'a number is out of the range the database stores',
  '22021': 'a text value holds a character the database cannot store (e.g. NUL)',
  '22P02': 'a value does not have the form the database expects',
  '22P05': 'a text value holds a character the database cannot store (e.g. an unpaired surrogate)',
};

/** The client-facing reason when an error (or anything in its cause chain) is one of those data exceptions; else null. */
export function badInputReason(error: unknown): string | null {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && Object.hasOwn(badInputCodes, code)) return badInputCodes[code]!;
  }
  return null;
}
