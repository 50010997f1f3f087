/** What `npm run bench:volume` reports besides the endpoint rows: the fill, the rebuild and the rollups' footprint. */
import type { FillResult, Footprint, TableFootprint } from '@mlapi/db/bench';

export interface Timed {
  seconds: number;
  calls: number;
  predictions: number;
}

export interface VolumeFacts {
  calls: number;
  users: number;
  days: number;
  /** What the prediction logs keep of the input (LOG_INPUTS), and v1's mail size (null: the default short one). */
  logInputs: string;
  inputBytes: number | null;
  fill: FillResult;
  /** Null with --no-rebuild. */
  rebuild: Timed | null;
  footprint: Footprint;
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const perSecond = (n: number, seconds: number) => Math.round(n / Math.max(0.001, seconds));
const perMillion = (n: number | null, calls: number) => (n === null ? null : Math.round((n / calls) * 1e6));
const megabytes = (bytes: number | null) => (bytes === null ? '—' : (bytes / 1048576).toFixed(1));

/** Rates of a timed pass over the log: calls/s and rows/s (calls and predictions). */
const rates = (t: Timed) => ({
  seconds: Math.round(t.seconds * 100) / 100,
  callsPerSec: perSecond(t.calls, t.seconds),
  rowsPerSec: perSecond(t.calls + t.predictions, t.seconds),
});

function passLine(name: string, t: Timed | null): string {
  if (!t) return `| ${name} | skipped (--no-rebuild) | | |`;
  const r = rates(t);
  return `| ${name} | ${r.seconds} | ${number.format(r.callsPerSec)} | ${number.format(r.rowsPerSec)} |`;
}

const tableLine = (t: TableFootprint, calls: number) =>
  `| ${t.table} | ${t.rows === null ? '—' : number.format(t.rows)} | ${megabytes(t.bytes)} | ` +
  `${t.rows === null ? '—' : number.format(perMillion(t.rows, calls)!)} | ${megabytes(perMillion(t.bytes, calls))} |`;

/** Markdown sections: the data, the fill and rebuild rates, rows and bytes per table and per million calls. */
export function volumeSections(facts: VolumeFacts): string[] {
  const { fill, footprint, calls } = facts;
  const rollupBytes = footprint.rollups.reduce((sum, t) => sum + (t.bytes ?? 0), 0);
  const rollupRows = footprint.rollups.reduce((sum, t) => sum + (t.rows ?? 0), 0);
  const logBytes = footprint.logs.reduce((sum, t) => sum + (t.bytes ?? 0), 0);
  return [
    `${number.format(calls)} calls over ${facts.days} days from ${facts.users} users; ` +
      `${number.format(fill.predictions)} predictions, ${number.format(fill.feedback)} with feedback; ` +
      `the busiest user (${fill.heavyUser.username}) made ${number.format(fill.heavyUser.calls)} calls.`,
    [
      '| pass | seconds | calls/s | rows/s (calls + predictions) |',
      '|---|---|---|---|',
      passLine('fill (SQL INSERT … SELECT)', fill),
      passLine('rollup rebuild', facts.rebuild),
    ].join('\n'),
    [
      `Bytes: ${footprint.method}.`,
      '',
      '| table | rows | MB | rows per M calls | MB per M calls |',
      '|---|---|---|---|---|',
      ...footprint.rollups.map((t) => tableLine(t, calls)),
      `| **all rollups** | ${number.format(rollupRows)} | ${megabytes(rollupBytes)} | ` +
        `${number.format(perMillion(rollupRows, calls)!)} | ${megabytes(perMillion(rollupBytes, calls))} |`,
      ...footprint.logs.map((t) => tableLine(t, calls)),
      '',
      `Raw rows per call (calls and predictions, tables and indexes), LOG_INPUTS=${facts.logInputs}, ` +
        `v1 input ${facts.inputBytes === null ? 'a short mail' : `a ${number.format(facts.inputBytes)}-byte mail`}: ` +
        `${number.format(logBytes / calls)} bytes.`,
    ].join('\n'),
  ];
}

/** The same facts for the JSON result. */
export function volumeFields(facts: VolumeFacts): Record<string, unknown> {
  const { fill, footprint, calls } = facts;
  const table = (t: TableFootprint) => ({
    ...t,
    rowsPerMillionCalls: perMillion(t.rows, calls),
    bytesPerMillionCalls: perMillion(t.bytes, calls),
  });
  return {
    calls,
    users: facts.users,
    logInputs: facts.logInputs,
    inputBytes: facts.inputBytes,
    rawBytesPerCall: Math.round(footprint.logs.reduce((sum, t) => sum + (t.bytes ?? 0), 0) / calls),
    days: facts.days,
    predictions: fill.predictions,
    feedback: fill.feedback,
    heavyUser: fill.heavyUser,
    fill: rates(fill),
    rebuild: facts.rebuild && rates(facts.rebuild),
    footprint: { method: footprint.method, rollups: footprint.rollups.map(table), logs: footprint.logs.map(table) },
  };
}
