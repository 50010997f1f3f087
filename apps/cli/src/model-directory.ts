import { modelFileName } from '@mlapi/schemas';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './errors.ts';

/** A file of a model directory, ready to upload. */
export interface ModelFile {
  path: string;
  bytes: number;
  content_base64: string;
}

/**
 * The files of a model directory on this machine, as `register` uploads them: the regular files at its top level
 * whose names the server takes (no dot files, no folders). The server keeps those the model uses.
 */
export async function readModelDirectory(dir: string): Promise<ModelFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `${dir}: no such directory on this machine (--on-server sends a path the server reads)`
        : `${dir}: ${(err as Error).message}`,
    );
  }
  const names = entries.filter((e) => e.isFile() && modelFileName.test(e.name)).map((e) => e.name);
  if (names.length === 0) throw new UsageError(`${dir}: no model files in it (model.onnx and manifest.json, say)`);
  return Promise.all(
    names.sort().map(async (path) => {
      const bytes = await readFile(join(dir, path));
      return { path, bytes: bytes.length, content_base64: bytes.toString('base64') };
    }),
  );
}
