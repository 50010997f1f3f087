/** Reading a model directory's manifest.json: the file, its JSON, then the manifest schema, each failure named. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelManifestError } from './errors.ts';
import { formatManifestIssues, manifestSchema, type OnnxManifest } from './manifest.ts';

const MANIFEST_FILE = 'manifest.json';

/**
 * Reads and validates `<dir>/manifest.json`. Throws a ModelManifestError naming the file and every problem:
 * missing file, invalid JSON, or each failed check with its JSON path.
 */
export async function readManifest(dir: string): Promise<OnnxManifest> {
  let raw: string;
  try {
    raw = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelManifestError(
      dir,
      MANIFEST_FILE,
      [
        code === 'ENOENT'
          ? 'not found (a model directory needs model.onnx and manifest.json)'
          : `cannot be read (${code ?? String(err)})`,
      ],
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ModelManifestError(dir, MANIFEST_FILE, [`is not valid JSON (${(err as Error).message})`], { cause: err });
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success)
    throw new ModelManifestError(dir, MANIFEST_FILE, formatManifestIssues(result.error), { cause: result.error });
  return result.data;
}
