/** The options of `npm run bench:volume`, read from the command line and checked; a bad one exits with status 2. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { logInputsModes, type LogInputs } from '../src/features/call-log/logged-input.ts';

const volumeUsage =
  'usage: npm run bench:volume -- [--pg] [--calls=10M] [--days=30] [--users=200] [--seconds=10] [--keep] ' +
  '[--no-rebuild] [--log-inputs=full|hash|none] [--input-bytes=N] [--label=name] [--out=dir]';

/** `10M`, `500k`, `1.5M`, `2000`: a whole count. */
const count = (name: string, min: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?[kKmM]?$/, { message: `--${name} must be a number, optionally with k or M (500k, 10M)` })
    .transform((v) => {
      const unit = v.slice(-1).toLowerCase();
      const scale = unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1;
      return Math.round(Number(scale === 1 ? v : v.slice(0, -1)) * scale);
    })
    .pipe(
      z
        .number()
        .int()
        .min(min, { message: `--${name} must be at least ${min}` })
        .max(2_000_000_000),
    );

const optionsSchema = z.object({
  pg: z.boolean().default(false),
  calls: count('calls', 1).default(10_000_000),
  days: count('days', 1)
    .pipe(z.number().max(366, { message: '--days must be at most 366' }))
    .default(30),
  users: count('users', 1)
    .pipe(z.number().max(100_000, { message: '--users must be at most 100000' }))
    .default(200),
  seconds: count('seconds', 1).default(10),
  keep: z.boolean().default(false),
  'no-rebuild': z.boolean().default(false),
  'log-inputs': z
    .enum(logInputsModes, { message: `--log-inputs must be ${logInputsModes.join(', ')}` })
    .default('full'),
  'input-bytes': count('input-bytes', 1)
    .pipe(z.number().max(1_000_000, { message: '--input-bytes must be at most 1000000' }))
    .optional(),
  label: z
    .string()
    .regex(/^[\w.-]+$/, { message: '--label may hold letters, digits, _, . and - only' })
    .optional(),
  out: z.string().min(1).optional(),
});

export interface VolumeOptions {
  dialect: 'sqlite' | 'postgresql';
  calls: number;
  days: number;
  users: number;
  seconds: number;
  keep: boolean;
  rebuild: boolean;
  /** What the filled prediction logs keep of the input, as the server's LOG_INPUTS. */
  logInputs: LogInputs;
  /** The size of v1's mail text; default a short one. */
  inputBytes: number | undefined;
  label: string;
  out: string | undefined;
}

/** A count as the options write it: 10M, 500k, 2000. */
function shortCount(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}

function usageError(message: string): never {
  console.error(`bench:volume: ${message}\n${volumeUsage}`);
  process.exit(2);
}

export function readVolumeOptions(args: string[]): VolumeOptions {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        pg: { type: 'boolean' },
        calls: { type: 'string' },
        days: { type: 'string' },
        users: { type: 'string' },
        seconds: { type: 'string' },
        keep: { type: 'boolean' },
        'no-rebuild': { type: 'boolean' },
        'log-inputs': { type: 'string' },
        'input-bytes': { type: 'string' },
        label: { type: 'string' },
        out: { type: 'string' },
      },
    }).values;
  } catch (err) {
    usageError((err as Error).message);
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) usageError(parsed.error.issues.map((i) => i.message).join('; '));
  const o = parsed.data;
  const dialect = o.pg ? 'postgresql' : 'sqlite';
  return {
    dialect,
    calls: o.calls,
    days: o.days,
    users: o.users,
    seconds: o.seconds,
    keep: o.keep,
    rebuild: !o['no-rebuild'],
    logInputs: o['log-inputs'],
    inputBytes: o['input-bytes'],
    label: o.label ?? `volume-${dialect}-${shortCount(o.calls)}`,
    out: o.out,
  };
}
