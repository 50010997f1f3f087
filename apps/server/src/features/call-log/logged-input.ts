import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** `LOG_INPUTS`: what a prediction log keeps of the input. */
export const logInputsModes = ['full', 'hash', 'none'] as const;
export type LogInputs = (typeof logInputsModes)[number];

/** What `hash` keeps: the SHA-256 of the input's RFC 8785 canonical JSON (hex) and that JSON's length in bytes. */
export interface InputDigest {
  sha256: string;
  length: number;
}

export function digestOf(input: unknown): InputDigest {
  const json = canonicalize(input) ?? 'null';
  return { sha256: createHash('sha256').update(json).digest('hex'), length: Buffer.byteLength(json) };
}

/** The input as the prediction log stores it under a LOG_INPUTS setting (`none`: `{}`). */
export function loggedInput(mode: LogInputs, input: Record<string, unknown>): Record<string, unknown> {
  if (mode === 'full') return input;
  if (mode === 'hash') return { ...digestOf(input) };
  return {};
}

/** How a stored input was kept: a model's input always has fields, so `{}` and a bare digest are markers. */
export function keptAs(stored: Record<string, unknown>): LogInputs {
  const keys = Object.keys(stored);
  if (keys.length === 0) return 'none';
  const digest = keys.length === 2 && typeof stored.sha256 === 'string' && typeof stored.length === 'number';
  return digest ? 'hash' : 'full';
}
