import { z } from 'zod';
import { serviceVersionSchema } from './services/service-version.ts';
import { qualityMetricsSchema } from './ml.ts';
import { plainString } from './plain-text.ts';
import { evaluationReport } from './evaluation-report.ts';
import { instantParam, windowInOrder, windowInOrderIssue } from './time-param.ts';

export const serviceParam = z.object({
  service: z
    .enum(serviceVersionSchema.options, { error: "service must be 'v1' or 'v2'" })
    .describe('The model service.'),
});

/** A model in service: where it comes from and which version answers. */
const servedModelSchema = z.object({
  service: serviceVersionSchema,
  name: z.string(),
  version: z.string(),
  source: z
    .enum(['builtin', 'onnx'])
    .describe("'builtin' for the models shipped with mlapi, 'onnx' for one loaded from MODEL_DIR_Vn."),
  task: z.enum(['classification', 'regression']),
  labels: z.array(z.string()).nullable().describe('Classification only: the class labels.'),
  directory: z.string().nullable().describe('ONNX only: the directory the model was loaded from.'),
  sha256: z.string().nullable().describe('ONNX only: SHA-256 of model.onnx.'),
  loaded: z.boolean(),
  serving_since: z.iso.datetime(),
});
export type ServedModelDto = z.infer<typeof servedModelSchema>;

export const servedModelsOutput = z.object({ items: z.array(servedModelSchema) });

export const modelReloadOutput = z.object({
  service: serviceVersionSchema,
  previous: servedModelSchema,
  current: servedModelSchema,
  changed: z.boolean().describe('False when the reloaded files hold the same model (name, version and weights).'),
});
export type ModelReloadOutput = z.infer<typeof modelReloadOutput>;

/** What a client needs to call a service: its model, and the JSON Schemas of its input and reply. */
export const serviceModelSchema = servedModelSchema.omit({ directory: true, sha256: true }).extend({
  input_schema: z.record(z.string(), z.unknown()).describe('JSON Schema of one prediction input.'),
  output_schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the model part of a prediction reply.'),
});
export type ServiceModelDto = z.infer<typeof serviceModelSchema>;

/** A registered version of a service's model (GET /admin/models/{service}/versions). */
export const modelVersionOutput = z.object({
  version: z.string().describe("The model's own version, from its card or manifest; unique within the service."),
  name: z.string(),
  source: z.enum(['builtin', 'onnx']),
  state: z
    .enum(['registered', 'live', 'retired', 'failed', 'canary', 'shadow'])
    .describe(
      "'live' answers calls; 'canary' answers a share of users in a running rollout; 'shadow' predicts every call beside the live version in a running rollout, off the reply path; 'retired' was live and is kept to roll back to; 'failed' did not load.",
    ),
  failure: z.string().nullable().describe("Why the version is 'failed', else null."),
  sha256: z.string().describe("SHA-256 over the version's files (each file's path and SHA-256, sorted by path)."),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number().int() })),
  card: z.record(z.string(), z.unknown()).nullable().describe('The model card (built-in) or manifest (ONNX).'),
  registered_by: z.string().nullable().describe('The admin who registered it; null for the server itself.'),
  registered_at: z.iso.datetime(),
  evaluation: evaluationReport
    .nullable()
    .describe('A retrained version: the evaluation gate report (candidate against the live version); else null.'),
});

/** A span during which one version was the live one. */
const modelDeploymentSchema = z.object({
  version: z.string(),
  action: z
    .enum(['first', 'configured', 'promote', 'rollback', 'reload'])
    .describe(
      "How it became live: 'first' start, 'configured' by MODEL_DIR_Vn at start-up, promote, rollback, reload.",
    ),
  by: z.string().nullable().describe('The admin who did it; null for the server itself.'),
  live_from: z.iso.datetime(),
  live_until: z.iso.datetime().nullable().describe('Null while it is still live.'),
});

/** One version's figures in a window: its calls, failures, latency and quality on feedback. */
const versionFigures = z.object({
  version: z.string(),
  calls: z
    .number()
    .int()
    .describe('Calls it answered in the window, and the predictions it made as a shadow (counted in `shadow`).'),
  shadow: z
    .number()
    .int()
    .default(0)
    .describe('Of `calls`, its shadow predictions: made off the reply path, never answered.'),
  failures: z.number().int(),
  failure_rate: z.number().nullable().describe('failures / calls; null without calls.'),
  latency_ms: z
    .object({ p50: z.number().nullable(), p99: z.number().nullable() })
    .describe('Of its successful calls (from 15-minute rollups: within 10 %).'),
  quality: qualityMetricsSchema.describe('On the feedback to its predictions in the window, with its count.'),
});

/** The thresholds a rollout's candidate is judged by against its baseline (README "Rollouts" gives the defaults' reasons). */
export const rolloutGuardSchema = z
  .strictObject({
    min_samples: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(200)
      .describe("The candidate's predictions with feedback in the rollout before it is judged."),
    max_failure_rate_increase: z
      .number()
      .min(0)
      .max(1)
      .default(0.01)
      .describe("How much higher the candidate's failure rate may be (absolute: 0.01 = one point)."),
    max_latency_p99_ratio: z
      .number()
      .min(1)
      .max(100)
      .default(1.5)
      .describe("The candidate's p99 may be this many times the baseline's …"),
    latency_slack_ms: z
      .number()
      .min(0)
      .max(60_000)
      .default(5)
      .describe('… or this many ms above it, whichever is more (fast models jitter by milliseconds).'),
    max_mae_increase: z
      .number()
      .min(0)
      .max(100)
      .default(0.1)
      .describe("Regressor: the candidate's MAE may be at most this much higher, relatively (0.1 = 10 %)."),
    max_f1_drop: z
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe("Classifier: how much lower the candidate's F1 of the positive label may be (absolute)."),
    max_accuracy_drop: z
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe("Classifier: how much lower the candidate's accuracy may be (absolute)."),
  })
  .describe('Unknown keys are refused; every threshold has its default.');
export type RolloutGuard = z.infer<typeof rolloutGuardSchema>;

const rolloutModes =
  "'shadow': the candidate also predicts every call, off the reply path (its predictions are logged and scored, never answered); 'canary': the candidate answers `percent` of users, each user always the same one.";
const rolloutMode = z.enum(['shadow', 'canary']).describe(rolloutModes);

/** A rollout: a candidate version tried beside the live one (the baseline), running or ended. */
export const rolloutOutput = z.object({
  service: serviceVersionSchema,
  candidate: z.string().describe('The version tried.'),
  baseline: z.string().describe('The version live when the rollout started.'),
  mode: rolloutMode,
  percent: z.number().int().nullable().describe('The share of users a canary answers; null for a shadow.'),
  started_by: z.string().nullable(),
  started_at: z.iso.datetime(),
  ended_at: z.iso.datetime().nullable().describe('Null while it runs.'),
  guard: rolloutGuardSchema,
  auto_promote: z.boolean(),
  outcome: z
    .enum(['promoted', 'rolled_back', 'cancelled', 'auto_rolled_back', 'auto_promoted'])
    .nullable()
    .describe(
      "How it ended: its candidate 'promoted' (live) or 'rolled_back' (stopped) by an admin, 'cancelled' by a promote of another version, 'auto_rolled_back' or 'auto_promoted' by its guard; null while it runs.",
    ),
  ended_by: z.string().nullable(),
  decision: z
    .object({
      reasons: z.array(z.string()).describe('Each guard that failed, with the figures (none when it passed).'),
      baseline: versionFigures,
      candidate: versionFigures,
    })
    .nullable()
    .describe("The guard's verdict that ended it, with the figures it compared; null otherwise."),
});
export type RolloutOutput = z.infer<typeof rolloutOutput>;

export const modelVersionsOutput = z.object({
  service: serviceVersionSchema,
  live: z.string().nullable().describe('The version answering now.'),
  rollout: rolloutOutput.nullable().describe('The rollout running now, or null.'),
  items: z.array(modelVersionOutput).describe('Every version, newest first.'),
  history: z.array(modelDeploymentSchema).describe('Which version was live when, newest first.'),
  rollouts: z.array(rolloutOutput).describe('The latest rollouts (at most 20), newest first.'),
});
export type ModelVersionsOutput = z.infer<typeof modelVersionsOutput>;

/** A registered version's name in a request. */
const versionField = (meaning: string) =>
  z.string().trim().min(1, { error: 'version must not be empty' }).max(64).describe(meaning);

export const modelPromoteInput = serviceParam
  .extend({ version: versionField('The version to make live.') })
  .meta({ example: { version: '1.2.0' } });

/** What a promote or rollback did. */
export const modelPromotionOutput = z.object({
  service: serviceVersionSchema,
  previous: z.string().describe('The version that answered before.'),
  live: z.string().describe('The version answering now.'),
  changed: z.boolean().describe('False when the version asked for was already live.'),
  rollout_ended: z
    .string()
    .nullable()
    .describe(
      'The candidate of the rollout this ended (promoted, or stopped by a rollback: it returns to registered), else null.',
    ),
});

const percentError = { error: 'percent must be a whole number from 1 to 99' };

/** The share of users a canary's candidate answers. */
export const rolloutPercent = z
  .number(percentError)
  .int(percentError)
  .min(1, percentError)
  .max(99, percentError)
  .describe('Canary only: the share of users the candidate answers (each user always the same version while it runs).');

/** PUT /admin/models/{service}/rollout: try a registered version beside the live one. */
export const rolloutInput = serviceParam
  .extend({
    version: versionField('The registered version to try.'),
    mode: z.enum(['shadow', 'canary'], { error: "mode must be 'shadow' or 'canary'" }).describe(rolloutModes),
    percent: rolloutPercent.optional(),
    guard: rolloutGuardSchema
      .prefault({})
      .describe(
        'When the candidate is rolled back on its own: every guard is checked every 2 s once it has min_samples.',
      ),
    auto_promote: z
      .boolean()
      .default(false)
      .describe('Make the candidate live on its own once it has min_samples and every guard holds.'),
  })
  .superRefine((input, ctx) => {
    if (input.mode === 'canary' && input.percent === undefined)
      ctx.addIssue({ code: 'custom', path: ['percent'], message: 'percent is required for a canary (1 to 99)' });
    if (input.mode === 'shadow' && input.percent !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['percent'],
        message: 'percent is for a canary only: a shadow predicts every call',
      });
  })
  .meta({
    example: { version: '1.2.0', mode: 'canary', percent: 10, guard: { min_samples: 200 }, auto_promote: false },
  });
export type ModelPromotionOutput = z.infer<typeof modelPromotionOutput>;
export type ModelVersionDto = z.infer<typeof modelVersionOutput>;

/** A file name an uploaded model directory may hold: no folders, no dot files. */
export const modelFileName = /^(?!\.)[\w.-]{1,128}$/;

/** One file of an uploaded model directory. */
const uploadedFile = z.object({
  path: z
    .string()
    .regex(modelFileName, {
      error: 'path must be a file name in the model directory (letters, digits, ".", "_", "-"; no folders)',
    })
    .describe('The file name in the model directory, e.g. model.onnx.'),
  content_base64: z
    .base64({ error: "content_base64 must be the file's bytes in base64" })
    .describe("The file's bytes, base64."),
});

export const modelRegisterInput = serviceParam
  .extend({
    dir: z
      .string()
      .trim()
      .min(1, { error: 'dir must not be empty' })
      .max(4096)
      .optional()
      .describe(
        "A directory readable by the server: an ONNX model (model.onnx and manifest.json) or the built-in model's artifact files with their card. Relative paths are taken from the repository root.",
      ),
    files: z
      .array(uploadedFile)
      .min(1, { error: 'files must hold at least one file' })
      .max(64)
      .refine((files) => new Set(files.map((f) => f.path)).size === files.length, {
        error: 'files must not name a file twice',
      })
      .optional()
      .describe(
        "The directory's files uploaded instead of `dir` (what `mlapi admin models register` sends from the client's disk); the body may be up to MAX_UPLOAD_BYTES. Files the model does not use are ignored.",
      ),
  })
  .refine((input) => (input.dir === undefined) !== (input.files === undefined), {
    error: 'give either dir (a directory the server reads) or files (an upload), not both',
    path: ['dir'],
  })
  .meta({ example: { dir: '/models/house-1.2.0' } });
export type ModelRegisterInput = z.infer<typeof modelRegisterInput>;

/** GET /admin/models/{service}/compare: two versions side by side (default: the rollout's candidate and baseline). */
export const compareQuery = serviceParam
  .extend({
    candidate: plainString('candidate')
      .max(64)
      .optional()
      .describe("The version tried (default: the running rollout's candidate, else the latest rollout's)."),
    baseline: plainString('baseline')
      .max(64)
      .optional()
      .describe("The version compared with (default: that rollout's baseline, else the live version)."),
    from: instantParam(
      'from',
      "Calls made at or after this time (default: the rollout's start, else 24 hours before `to`).",
    ).optional(),
    to: instantParam('to', "Calls made before this time (default: the rollout's end, else now).").optional(),
  })
  .refine(windowInOrder, windowInOrderIssue);
export type CompareQuery = z.infer<typeof compareQuery>;

export const compareOutput = z.object({
  service: serviceVersionSchema,
  from: z.iso.datetime().describe('The window used, snapped to whole 15-minute buckets.'),
  to: z.iso.datetime(),
  rollout: rolloutOutput.nullable().describe('The rollout the defaults came from, if any.'),
  baseline: versionFigures,
  candidate: versionFigures,
});
export type CompareOutput = z.infer<typeof compareOutput>;
