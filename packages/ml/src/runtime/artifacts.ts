/**
 * Reading (and, for training, writing) model artifacts: a JSON document plus optional
 * little-endian Float32 weight files, checked against a SHA-256 recorded in the JSON.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** packages/ml/artifacts/ — where the committed artifacts live. */
export const defaultArtifactDir = new URL('../../artifacts/', import.meta.url);

export interface WeightFileRef {
  file: string;
  dtype: 'float32le';
  length: number;
  sha256: string;
}

/** Resolves `file` inside `dir` (a URL or a path; directories need not end in '/'). */
function artifactUrl(dir: URL | string, file: string): URL {
  const base = typeof dir === 'string' ? pathToFileURL(resolve(dir)) : dir;
  const href = base.href.endsWith('/') ? base.href : `${base.href}/`;
  return new URL(file, href);
}

export async function readJsonArtifact(dir: URL | string, file: string): Promise<unknown> {
  return JSON.parse(await readFile(artifactUrl(dir, file), 'utf8')) as unknown;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function encodeFloat32(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
  return bytes;
}

function decodeFloat32(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export async function readWeights(dir: URL | string, ref: WeightFileRef): Promise<Float32Array> {
  const bytes = await readFile(artifactUrl(dir, ref.file));
  if (bytes.byteLength !== ref.length * 4) {
    throw new Error(`${ref.file}: expected ${ref.length * 4} bytes, found ${bytes.byteLength}`);
  }
  if (sha256(bytes) !== ref.sha256) throw new Error(`${ref.file}: checksum mismatch`);
  return decodeFloat32(bytes);
}
