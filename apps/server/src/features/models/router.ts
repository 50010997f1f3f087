import { modelReloadOutput, servedModelsOutput, serviceParam, serviceVersions } from '@mlapi/schemas';
import { z } from 'zod';
import { reloadModel } from './model-reload.ts';
import { describeServed } from './served-model-dto.ts';
import { adminProcedure, router } from '../../core/procedures.ts';

const tags = ['admin'];

export const modelsRouter = router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/admin/models', tags, summary: 'The model each service answers with' } })
    .input(z.void())
    .output(servedModelsOutput)
    .query(({ ctx }) => ({ items: serviceVersions.map((s) => describeServed(ctx.deps.models, s)) })),

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
      const reloaded = await reloadModel(ctx.deps, input.service);
      return ctx.audit.commit(input, async () => ({ target: null, result: reloaded }));
    }),
});
