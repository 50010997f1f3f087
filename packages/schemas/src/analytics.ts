import { z } from 'zod';
import { idParam } from './id.ts';
import { plainString } from './plain-text.ts';
import { instantParam, windowInOrder, windowInOrderIssue } from './time-param.ts';
import { serviceVersionSchema } from './services/service-version.ts';

/** The longest window one usage query may cover. */
export const maxUsageDays = 366;
/** The default window: the last 30 days up to now. */
export const defaultUsageDays = 30;

/** Whether the runtime knows an IANA time-zone name (`Europe/Paris`, `UTC`, …). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const usageFields = {
  from: instantParam('from', 'Calls made at or after this time (default: 30 days before `to`).').optional(),
  to: instantParam('to', 'Calls made before this time (default: now).').optional(),
  service: serviceVersionSchema.optional().describe('Only calls to this service.'),
  tz: plainString('tz')
    .max(64)
    .refine(isTimeZone, { message: 'tz must be an IANA time-zone name, e.g. Europe/Paris or UTC' })
    .optional()
    .describe('IANA time zone for days, hours of day and weekdays (default UTC).'),
};

/** `GET /user/usage`: your own calls. */
export const ownUsageQuery = z.object(usageFields).refine(windowInOrder, windowInOrderIssue);
export type OwnUsageQuery = z.infer<typeof ownUsageQuery>;

/** `GET /admin/analytics/usage`: every call, or one user's. */
export const usageQuery = z
  .object({ ...usageFields, user_id: idParam('user_id').optional().describe("Only this user's calls.") })
  .refine(windowInOrder, windowInOrderIssue);
export type UsageQuery = z.infer<typeof usageQuery>;

const percentile = z.number().nullable();

export const usageOutput = z.object({
  from: z.iso.datetime().describe('The window used: `from` moved back to the start of its 15-minute bucket.'),
  to: z.iso.datetime().describe('The end of the window used: `to` moved on to the end of its 15-minute bucket.'),
  tz: z.string().describe('The time zone days, hours and weekdays are counted in.'),
  user_id: z.number().int().nullable(),
  service: serviceVersionSchema.nullable(),
  total: z.number().int(),
  successes: z.number().int(),
  failures: z.number().int(),
  success_rate: z.number().nullable().describe('successes / total; null when there are no calls.'),
  by_service: z.array(
    z.object({ service: serviceVersionSchema, calls: z.number().int(), successes: z.number().int() }),
  ),
  by_hour: z.array(z.number().int()).length(24).describe('Calls per local hour of day, index 0 = 00:00–00:59.'),
  by_weekday: z
    .array(z.number().int())
    .length(7)
    .describe('Calls per local ISO weekday, index 0 = Monday … 6 = Sunday.'),
  heatmap: z
    .array(z.array(z.number().int()).length(24))
    .length(7)
    .describe('Calls per weekday (rows, Monday first) and hour (columns).'),
  per_day: z
    .array(
      z.object({
        date: z.iso.date(),
        v1: z.number().int(),
        v2: z.number().int(),
        total: z.number().int(),
        failures: z.number().int(),
      }),
    )
    .describe('Every local date of the window, oldest first, days without calls included.'),
  latency_ms: z
    .object({ count: z.number().int(), p50: percentile, p95: percentile, p99: percentile, max: percentile })
    .nullable()
    .describe(
      'Durations (ms) of the successful calls: nearest-rank percentiles (the value at rank ⌈p·n⌉) read from a ' +
        'log-spaced histogram, within 10 % of the exact value from 0.01 ms to 63 s; `max` exact; null values ' +
        "without calls. The whole reply is null for one user's usage: latency is kept per service, not per user.",
    ),
  top_users: z
    .array(z.object({ user_id: z.number().int(), username: z.string(), calls: z.number().int() }))
    .describe('At most 10, most calls first.'),
});
export type UsageOutput = z.infer<typeof usageOutput>;
