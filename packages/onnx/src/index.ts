/**
 * Public API of @mlapi/onnx: serve an exported ONNX model (model.onnx + manifest.json) through the `Model`
 * interface of @mlapi/ml. Importing this entry is cheap: onnxruntime-node is imported by `loadOnnxModel` on its
 * first call, not here. Test helpers that write small ONNX models live in `@mlapi/onnx/testing`.
 */
export { loadOnnxModel, MODEL_FILE } from './onnx-model.ts';
export type { LoadOnnxModelOptions, OnnxModel } from './onnx-model.ts';
export { ModelManifestError } from './errors.ts';
export type { ModelDirectoryFile } from './errors.ts';
export {
  DEFAULT_MAX_TEXT_LENGTH,
  MANIFEST_FILE,
  formatManifestIssues,
  manifestSchema,
  packedFields,
  parseManifest,
  readManifest,
  textField,
} from './manifest.ts';
export type {
  ClassificationManifest,
  ClassificationManifestInput,
  InputField,
  OnnxManifest,
  OnnxManifestInput,
  PackedField,
  RegressionManifest,
  RegressionManifestInput,
  TextField,
} from './manifest.ts';
export { buildInputSchema, buildOutputSchema, buildTargetSchema, fieldSchema } from './input-schema.ts';
export type { OnnxInput, OnnxOutput } from './input-schema.ts';
