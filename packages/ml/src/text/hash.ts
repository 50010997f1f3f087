/**
 * Fixed 32-bit hashes for feature hashing (must never change once artifacts exist).
 * Values are kept as signed int32 (V8 keeps them unboxed); only the low bits pick a bucket.
 */

export const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step: folds a UTF-16 code unit into `hash`. */
function fnv1aStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME);
}

/** FNV-1a of a whole string, starting from `seed` (namespaces use different seeds). */
export function fnv1a(text: string, seed = FNV_OFFSET): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = fnv1aStep(h, text.charCodeAt(i));
  return h;
}

/** Combines two hashes into one (murmur3 finaliser over a mixed pair), e.g. for bigrams. */
export function combineHashes(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
