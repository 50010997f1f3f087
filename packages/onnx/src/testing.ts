/**
 * `@mlapi/onnx/testing`: writes small ONNX models whose outputs can be computed by hand, and their manifests, so
 * tests (this package's, the server's, the CLI's) can serve a real ONNX model without shipping binary fixtures.
 *
 * Stable API — other packages' tests depend on it:
 *   writeLinearModel(dir, spec)      y = x·w + b                                  output [N, 1]
 *   writeLogisticModel(dir, spec)    p = sigmoid(x·w + b)                         output [N, 1] or [N, 2] = [1 − p, p]
 *   writeSoftmaxModel(dir, spec)     p = softmax(x·Wᵀ + b)                        output [N, K]
 *   writeBagOfWordsModel(dir, spec)  p = sigmoid(Σ count(word)·w + b) on a text   output [N, 1]
 *   writeManifest(dir, manifest)     dir/manifest.json
 *   tinyHouse                        a 3-field v2 house-price regressor the server, SDK and CLI tests share
 *   tinyJunkManifest                 the manifest of a v1 text classifier whose text field is `mail` (labels ok/junk)
 * Each writer creates `dir` if needed, writes `dir/model.onnx` and returns its path. Inputs have a symbolic batch
 * dimension ("N") unless `batch` says otherwise. Graphs use IR version 8 and opset 15 (onnxruntime 1.30 runs both).
 * The default tensor names are skl2onnx's: input "float_input", outputs "variable" (regression) and
 * "probabilities" (classification). Weights are stored as float32 (float64 with `elementType: 'float64'`): pick
 * values exactly representable in float32 (0.5, -1.25, 3) to compare predictions exactly.
 *
 * Writing needs the devDependency onnx-proto (loaded on first use); loading the written model needs nothing more
 * than @mlapi/onnx.
 */
export * from './graph-writers.ts';
export * from './test-models.ts';
