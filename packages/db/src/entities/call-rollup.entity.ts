import { defineEntity, p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';
import { binColumns } from '../rollups/latency-histogram.ts';

const histogram = Object.fromEntries(binColumns.map((column) => [column, p.integer().default(0)])) as Record<
  string,
  ReturnType<typeof p.integer>
>;

/** The columns call_rollups and shadow_rollups share: counts, total and longest duration, latency histogram. */
const callSums = () =>
  ({
    bucket: p.integer().primary(),
    serviceVersion: p.enum([...serviceVersions]).primary(),
    modelVersion: p.string().length(63).primary(),
    success: p.boolean().primary(),
    calls: p.integer(),
    durationSum: p.double(),
    durationMax: p.double(),
    ...histogram,
  }) as const;

/**
 * The call log summed per 15-minute bucket × service × model version × outcome, written in the transaction that
 * writes the calls: how many, their total and longest duration, and a latency histogram (rollups/latency-histogram.ts).
 * `model_version` is '' for calls logged before versions were.
 */
export const CallRollup = defineEntity({ name: 'CallRollup', tableName: 'call_rollups', properties: callSums() });

/**
 * Shadow predictions summed the same way (`calls` counts shadow predictions), written with them: a shadow candidate's
 * failures and latency, kept apart from the calls users made.
 */
export const ShadowRollup = defineEntity({ name: 'ShadowRollup', tableName: 'shadow_rollups', properties: callSums() });
