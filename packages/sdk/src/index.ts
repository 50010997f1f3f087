/** @mlapi/sdk — a typed client for the mlapi server, for Node ≥ 20 and browsers (fetch only). */
export { createClient, normalizeUrl, type ClientExtras, type ClientOptions, type MlapiClient } from './client.ts';
export {
  customModel,
  type CustomModelService,
  type ModelInput,
  type ModelOutput,
  type PredictionMeta,
} from './custom-model.ts';
export { exportDataset, type DatasetExportInput } from './dataset-export.ts';
export { allItems, pages, type ListProcedure, type WalkInput } from './pages.ts';
export { MlapiError, isMlapiError, type MlapiErrorCode } from './errors.ts';
export type * from './types.ts';
