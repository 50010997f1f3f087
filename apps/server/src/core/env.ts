import { defaultDatabaseUrl, parseDatabaseUrl, retentionDaysSetting } from '@mlapi/db';
import { z } from 'zod';
import { originProblem, type CorsOrigins } from '../http/cors.ts';
import { logInputsModes } from '../features/call-log/logged-input.ts';
import { trustedProxies, type TrustedProxies } from '../http/client-address.ts';

const optionalPath = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
/** `CORS_ORIGINS`: a comma-separated list of exact origins, or `*` alone (any origin); empty: no CORS. */
const corsOrigins = z
  .string()
  .default('')
  .transform((value, ctx): CorsOrigins => {
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    if (entries.includes('*')) {
      if (entries.length === 1) return '*';
      ctx.addIssue({ code: 'custom', message: '"*" (any origin) stands alone, not in a list' });
      return z.NEVER;
    }
    for (const entry of entries) {
      const problem = originProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
    return entries;
  });
/** `TRUSTED_PROXIES`: a comma-separated list of proxy addresses, CIDR ranges or names; empty: no proxy is trusted. */
const trustedProxiesSetting = z
  .string()
  .default('')
  .transform((value, ctx): TrustedProxies => {
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const { trust, problems } = trustedProxies(entries);
    for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem });
    return trust;
  });
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every setting of the server, read from the environment once at start-up. The README's table mirrors it. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Browser origins allowed to call the API cross-origin (http/cors.ts). */
    CORS_ORIGINS: corsOrigins,
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Proxies whose X-Forwarded-For names the client (login throttling, logs): http/client-address.ts. */
    TRUSTED_PROXIES: trustedProxiesSetting,
    DATABASE_URL: z
      .string()
      .default(defaultDatabaseUrl)
      .superRefine((url, ctx) => {
        try {
          parseDatabaseUrl(url);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      }),
    /**
     * PostgreSQL: a direct connection for LISTEN (the notifications that keep the rights cache correct), when
     * DATABASE_URL goes through a transaction-pooling PgBouncer, which cannot carry LISTEN. Default: DATABASE_URL.
     */
    DATABASE_LISTEN_URL: optionalPath.superRefine((url, ctx) => {
      if (url !== undefined && !/^postgres(ql)?:\/\//.test(url))
        ctx.addIssue({ code: 'custom', message: 'must be a postgresql:// URL' });
    }),
    DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    JWT_SECRET: z.string().optional(),
    ACCESS_TOKEN_EXPIRE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .default(20),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    SUPERUSER_EMAIL: z.email().default('superuser@example.com'),
    SUPERUSER_PASSWORD: z.string().min(1).optional(),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /** The body limit of a model upload (POST /admin/models/{service}/versions), read only once the admin is known. */
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(256 * 1024 * 1024),
    /**
     * Worker threads per ONNX model, each with its own session (onnxruntime's run() blocks the thread that calls
     * it). More serve a slow model's calls side by side, at one session's memory each; at most the cores.
     */
    ONNX_WORKER_THREADS: z.coerce.number().int().min(1).max(64).default(1),
    /**
     * Calls a shadow rollout's candidate may have waiting (to predict or to be written) before more are dropped and
     * counted (mlapi_shadow_dropped_total): shadow work never holds up replies or grows without bound.
     */
    SHADOW_QUEUE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    /** Labelled examples not used for training that a retraining's evaluation gate scores both models on (newest). */
    RETRAIN_EVAL_EXAMPLES: z.coerce.number().int().min(0).max(100_000).default(1000),
    /** Niceness added to a retraining child process (0–19): serving calls keeps the CPU first. */
    RETRAIN_NICE: z.coerce.number().int().min(0).max(19).default(10),
    MAX_BATCH_ITEMS: z.coerce.number().int().min(1).max(100_000).default(1000),
    CALL_LOG_MAX_BATCH: z.coerce.number().int().min(1).max(10_000).default(256),
    /** Group commit under load: a transaction starts at least this many ms after the previous one (0: at once). */
    CALL_LOG_LINGER_MS: z.coerce.number().int().min(0).max(100).default(0),
    /** Days of raw calls and predictions kept (pruned hourly); 0 keeps all. Rollups and labelled examples stay. */
    RETENTION_DAYS: retentionDaysSetting,
    /** What a prediction log keeps of the input: all of it, a SHA-256 and the length, or nothing. */
    LOG_INPUTS: z.enum(logInputsModes).default('full'),
    /** Apply pending migrations at start-up, one replica at a time (false: refuse to start when any are pending). */
    MIGRATE_ON_START: bool.default(true),
    DEFAULT_CALLS_PER_MINUTE: z.coerce.number().int().min(0).default(600),
    DEFAULT_CALLS_PER_DAY: z.coerce.number().int().min(0).default(100_000),
    LOGIN_MAX_FAILURES_PER_USERNAME: z.coerce.number().int().min(0).default(10),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(0).default(100),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    DATA_DIR: z.string().default('./data'),
    /** Where alerts are POSTed as JSON (a rollout stopped by its guard, say); empty: none are sent. */
    ALERT_WEBHOOK_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.url({ protocol: /^https?$/, error: 'ALERT_WEBHOOK_URL must be an http(s) URL' }).optional(),
    ),
    /** Drift: a feature's PSI from which its status is warn, and alert (GET /admin/models/{service}/drift). */
    DRIFT_PSI_WARN: z.coerce.number().positive().max(100).default(0.1),
    DRIFT_PSI_ALERT: z.coerce.number().positive().max(100).default(0.25),
    /** How often the drift gauges are recomputed and alerts checked, over the last DRIFT_WINDOW_MINUTES of calls. */
    DRIFT_CHECK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    DRIFT_WINDOW_MINUTES: z.coerce.number().int().min(15).max(43_200).default(60),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** `json`: one JSON object per line; `pretty`: readable lines; `auto`: pretty when stderr is a terminal. */
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
    WARM_MODELS: bool.default(true),
    /** `stock`: serve /trpc with tRPC's own node adapter instead of the lean binding (the benchmark's reference). */
    TRPC_BINDING: z.enum(['lean', 'stock']).default('lean'),
    /** A directory with model.onnx + manifest.json served as v1 / v2 instead of the built-in model (empty: built-in). */
    MODEL_DIR_V1: optionalPath,
    MODEL_DIR_V2: optionalPath,
  })
  .superRefine((env, ctx) => {
    if (env.DRIFT_PSI_WARN >= env.DRIFT_PSI_ALERT)
      ctx.addIssue({
        code: 'custom',
        path: ['DRIFT_PSI_WARN'],
        message: `DRIFT_PSI_WARN (${env.DRIFT_PSI_WARN}) must be below DRIFT_PSI_ALERT (${env.DRIFT_PSI_ALERT})`,
      });
    if (env.NODE_ENV !== 'production') return;
    if (!env.JWT_SECRET || Buffer.byteLength(env.JWT_SECRET) < 32)
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'production needs JWT_SECRET of at least 32 bytes',
      });
    if (!env.SUPERUSER_PASSWORD)
      ctx.addIssue({ code: 'custom', path: ['SUPERUSER_PASSWORD'], message: 'production needs SUPERUSER_PASSWORD' });
  });

export type Env = z.infer<typeof envSchema>;

/** Parses a set of variables (process.env at start-up; an object in tests); throws one message naming each bad one. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
