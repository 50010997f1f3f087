/**
 * Public API of @mlapi/onnx: serve an exported ONNX model (model.onnx + manifest.json) through the `Model`
 * interface of @mlapi/ml. Importing this entry is cheap: onnxruntime-node is imported by `loadOnnxModel` on its
 * first call, not here. Test helpers that write small ONNX models live in `@mlapi/onnx/testing`.
 */
export { loadOnnxModel } from './onnx-model.ts';
export type { OnnxModel } from './onnx-model.ts';
export type { OnnxManifestInput } from './manifest.ts';
