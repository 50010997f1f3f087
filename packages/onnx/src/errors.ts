/** The one error type for "this model directory cannot be served as it is". */

export type ModelDirectoryFile = 'manifest.json' | 'model.onnx';

/**
 * A model directory that cannot be served: a missing or unreadable file, a manifest that does not validate, or a
 * manifest that does not match the ONNX graph (tensor names, element types, feature or label counts, service).
 * The message names the file (with its directory), each problem and, for graph mismatches, what the graph has.
 */
export class ModelManifestError extends Error {
  override readonly name = 'ModelManifestError';
  /** The model directory, as given to `loadOnnxModel`. */
  readonly directory: string;
  /** The file the problems are about. */
  readonly file: ModelDirectoryFile;
  /** One sentence per problem, without the file prefix. */
  readonly problems: readonly string[];

  constructor(directory: string, file: ModelDirectoryFile, problems: readonly string[], options?: { cause?: unknown }) {
    super(`${joinPath(directory, file)}: ${problems.join('; ')}`, options);
    this.directory = directory;
    this.file = file;
    this.problems = Object.freeze([...problems]);
  }
}

function joinPath(directory: string, file: string): string {
  return directory.endsWith('/') ? `${directory}${file}` : `${directory}/${file}`;
}
