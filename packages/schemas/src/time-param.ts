import { z } from 'zod';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The instant a date (midnight UTC) or an ISO 8601 date-time with a zone names; null for anything else. */
function parseInstant(text: string): Date | null {
  const date = datePattern.exec(text);
  if (date) {
    const at = new Date(`${text}T00:00:00Z`);
    // 2025-02-30 is no date, though Date rolls it over to March.
    return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(text) ? at : null;
  }
  if (!dateTimePattern.test(text)) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * A point in time in a query: a date (`2025-01-01`, read as midnight UTC) or a date-time with its zone
 * (`2025-01-01T12:00:00Z`, `2025-01-01T14:00:00+02:00`); given on to the handler as an ISO string in UTC. The same
 * on REST, /trpc and the CLI; the OpenAPI document describes it in words, not as a pattern.
 */
export const instantParam = (field: string, meaning: string) =>
  z
    .string()
    .refine((s) => parseInstant(s) !== null, {
      error: `${field} must be a date such as 2025-01-01 (midnight UTC) or a date-time such as 2025-01-01T12:00:00Z`,
    })
    .transform((s) => parseInstant(s)!.toISOString())
    .describe(`${meaning} A date (2025-01-01, midnight UTC) or a date-time with its zone (2025-01-01T12:00:00Z).`)
    .meta({ example: '2025-01-01' });

/** A window's check: `from` before `to` when both are given (with {@link windowInOrderIssue}, naming `from`). */
export const windowInOrder = (q: { from?: string | undefined; to?: string | undefined }) =>
  !q.from || !q.to || new Date(q.from) < new Date(q.to);
export const windowInOrderIssue = { message: 'from must be before to', path: ['from'] };
