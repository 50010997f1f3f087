import {
  compareOutput,
  compareQuery,
  driftOutput,
  driftQuery,
  modelPromoteInput,
  modelRegisterInput,
  modelVersionOutput,
  modelPromotionOutput,
  modelReloadOutput,
  modelVersionsOutput,
  rolloutInput,
  rolloutOutput,
  servedModelsOutput,
  serviceParam,
  serviceVersions,
} from '@mlapi/schemas';
import { z } from 'zod';
import { reloadModel } from './model-reload.ts';
import { listVersions } from './model-versions.ts';
import { registerDirectory, registerUpload } from './model-registration.ts';
import { promoteVersion, rollbackVersion } from './model-promotion.ts';
import { startRollout } from './model-rollout.ts';
import { compareVersions } from './model-compare.ts';
import { computeDrift } from '../drift/drift-report.ts';
import { describeServed } from './served-model-dto.ts';
import { adminProcedure, router } from '../../core/procedures.ts';

const tags = ['admin'];

export const modelsRouter = router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/admin/models', tags, summary: 'The model each service answers with' } })
    .input(z.void())
    .output(servedModelsOutput)
    .query(({ ctx }) => ({ items: serviceVersions.map((s) => describeServed(ctx.deps.models, s)) })),

  versions: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/models/{service}/versions',
        tags,
        summary: "The service's registered model versions, their states, and which version was live when",
      },
    })
    .input(serviceParam)
    .output(modelVersionsOutput)
    .query(({ ctx, input }) => listVersions(ctx.deps, input.service)),

  register: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/models/{service}/versions',
        tags,
        summary:
          "Register a model as a new version (not live until promoted): a directory readable by the server, or the directory's files uploaded",
      },
      successStatus: 201,
      bodyLimit: 'upload',
      errors: {
        409: 'Not registered: the files do not load, the version exists, or the model would change the API (named).',
        413: 'The upload is over MAX_UPLOAD_BYTES (the limit is named).',
      },
    })
    .input(modelRegisterInput)
    .output(modelVersionOutput)
    .mutation(async ({ ctx, input }) => {
      const { service, dir, files } = input;
      const registered = files
        ? await registerUpload(ctx.deps, service, files, ctx.user)
        : await registerDirectory(ctx.deps, service, dir!, ctx.user);
      // The audit keeps what was uploaded, not its bytes.
      const details = files
        ? { service, files: files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.content_base64, 'base64') })) }
        : { service, dir };
      return ctx.audit.commit(details, async () => ({ target: null, result: registered }));
    }),

  promote: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/models/{service}/promote',
        tags,
        summary: 'Make a registered version live on every replica; the version live before is kept to roll back to',
      },
      errors: {
        404: 'The service has no such version.',
        409: 'Not promoted, the live version still serves: its files are damaged or it does not load (it is marked failed), or it would change the API.',
      },
    })
    .input(modelPromoteInput)
    .output(modelPromotionOutput)
    .mutation(async ({ ctx, input }) => {
      const promoted = await promoteVersion(ctx.deps, input.service, input.version, ctx.user);
      return ctx.audit.commit(input, async () => ({ target: null, result: promoted }));
    }),

  rollback: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/models/{service}/rollback',
        tags,
        summary:
          'Stop the running rollout (its candidate returns to registered); without one, make the version live before the current one live again',
      },
      errors: { 409: 'Nothing earlier to return to, or it does not load (it is marked failed).' },
    })
    .input(serviceParam)
    .output(modelPromotionOutput)
    .mutation(async ({ ctx, input }) => {
      const rolledBack = await rollbackVersion(ctx.deps, input.service, ctx.user);
      return ctx.audit.commit(input, async () => ({ target: null, result: rolledBack }));
    }),

  rollout: adminProcedure
    .meta({
      openapi: {
        method: 'PUT',
        path: '/admin/models/{service}/rollout',
        tags,
        summary:
          'Try a registered version beside the live one on every replica: as a shadow it predicts every call unanswered; as a canary it answers `percent` of users (each user always the same version)',
      },
      errors: {
        404: 'The service has no such version.',
        409: 'A rollout is running already, the version is live or failed, or it does not load or would change the API.',
      },
    })
    .input(rolloutInput)
    .output(rolloutOutput)
    .mutation(async ({ ctx, input }) => {
      const { service, ...request } = input;
      const started = await startRollout(ctx.deps, service, request, ctx.user);
      return ctx.audit.commit(input, async () => ({ target: null, result: started }));
    }),

  compare: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/models/{service}/compare',
        tags,
        summary:
          'Two versions side by side over one window: calls, failure rate, latency p50/p99 and quality on feedback (default: the latest rollout)',
      },
      errors: { 409: 'No rollout to take the versions from: name them.' },
    })
    .input(compareQuery)
    .output(compareOutput)
    .query(({ ctx, input }) => compareVersions(ctx.deps, input)),

  drift: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/models/{service}/drift',
        tags,
        summary:
          "Served inputs and predictions against the training distribution in the version's card: PSI and status per feature, of the predictions, and for text the out-of-vocabulary rate and length (default: the live version, the last 24 hours)",
      },
      errors: { 404: 'No such model version of this service.' },
    })
    .input(driftQuery)
    .output(driftOutput)
    .query(({ ctx, input }) => computeDrift(ctx.deps, input)),

  reload: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/models/{service}/reload',
        tags,
        summary: "Load the model in the service's MODEL_DIR again and swap it in without dropping a call",
      },
      errors: {
        409: 'Not reloaded, the old model still serves: a built-in model, broken files, or a change to the API (named).',
      },
    })
    .input(serviceParam)
    .output(modelReloadOutput)
    .mutation(async ({ ctx, input }) => {
      const reloaded = await reloadModel(ctx.deps, input.service, ctx.user);
      return ctx.audit.commit(input, async () => ({ target: null, result: reloaded }));
    }),
});
