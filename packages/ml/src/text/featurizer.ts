/**
 * Hashed text features for the spam model: word unigrams + bigrams (subject and body in
 * separate namespaces), structural markers, and character n-grams. Counts are hashed into
 * 2^hashBits buckets (FNV-1a), damped with 1 + ln(tf), and each group (words / chars) is
 * L2-normalised on its own. (IDF weighting was tried and did not help; it is left out so
 * the artifact only carries the weights.)
 *
 * Hot path: `score()` computes w·x without building the vector (no per-call allocation);
 * `features()` builds the sparse vector for training. Both visit the same buckets.
 */
import { combineHashes, FNV_OFFSET, fnv1a } from './hash.ts';
import type { ParsedMail } from './mail-parser.ts';

export interface TextFeatureConfig {
  hashBits: number;
  /** Only the first `maxChars` characters of the body are read. */
  maxChars: number;
  maxTokenLength: number;
  wordBigrams: boolean;
  /** Character n-gram sizes [min, max]; [0, 0] disables them. */
  charNgrams: [number, number];
  /** Only the first `charNgramMaxChars` normalised characters feed the n-grams. */
  charNgramMaxChars: number;
  /** L2 norm given to the char n-gram group (the word group has norm 1). */
  charWeight: number;
}

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const FNV_PRIME = 0x01000193;
const MAX_SUBJECT_CHARS = 1000;
const SEED_BODY = FNV_OFFSET;
const SEED_SUBJECT = fnv1a('subject:');
const SEED_MARKER = fnv1a('marker:');
const SEED_CHAR = fnv1a('char:');
const BIGRAM_BODY = fnv1a('bigram:');
const BIGRAM_SUBJECT = fnv1a('subject-bigram:');
const DOLLAR = 36;
const BANG = 33;
const SPACE = 32;

/** 1 + ln(count) for small counts, precomputed (the same doubles Math.log returns). */
const TF_TABLE = Float64Array.from({ length: 1024 }, (_, c) => (c === 0 ? 0 : 1 + Math.log(c)));

function dampedTf(count: number): number {
  return count < 1024 ? (TF_TABLE[count] as number) : 1 + Math.log(count);
}

/** Lower-cased code unit if it belongs in a word token, else -1. Non-ASCII letters count, general punctuation does not. */
export function wordCode(c: number): number {
  if (c >= 97 && c <= 122) return c;
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 48 && c <= 57) return c;
  if (c >= 0xc0 && !(c >= 0x2000 && c <= 0x206f)) return c;
  return -1;
}

export class TextFeaturizer {
  readonly dim: number;
  /**
   * Number of word tokens (including `$` / `!`) in the subject and body read by the last
   * `features()` / `score()` call — how much evidence the text carries.
   */
  tokenCount = 0;
  private readonly mask: number;
  /** Per-bucket counts of the group being collected (bounded by maxChars, fits 16 bits). */
  private readonly counts: Uint16Array;
  private touched = new Int32Array(8192);
  private nTouched = 0;
  private chars = new Uint16Array(1024);

  constructor(readonly config: TextFeatureConfig) {
    this.dim = 2 ** config.hashBits;
    this.mask = this.dim - 1;
    this.counts = new Uint16Array(this.dim);
  }

  private get charsEnabled(): boolean {
    return this.config.charNgrams[0] > 0 && this.config.charWeight > 0;
  }

  /** Sparse feature vector (fresh arrays; for training). */
  features(mail: ParsedMail): SparseVector {
    this.collectWords(mail);
    const words = this.flushVector(1);
    if (!this.charsEnabled) return words;
    this.collectChars(mail);
    return concat(words, this.flushVector(this.config.charWeight));
  }

  /** w·x for the mail's feature vector x, without materialising x (for prediction). */
  score(mail: ParsedMail, weights: Float32Array): number {
    this.collectWords(mail);
    let s = this.flushDot(1, weights);
    if (this.charsEnabled) {
      this.collectChars(mail);
      s += this.flushDot(this.config.charWeight, weights);
    }
    return s;
  }

  private bump(hash: number): void {
    const b = hash & this.mask;
    const c = this.counts[b] as number;
    if (c === 0) {
      this.reserve(1);
      this.touched[this.nTouched++] = b;
    }
    this.counts[b] = c + 1;
  }

  private collectWords(mail: ParsedMail): void {
    this.tokenCount = 0;
    this.addWords(mail.subject, Math.min(mail.subject.length, MAX_SUBJECT_CHARS), SEED_SUBJECT, BIGRAM_SUBJECT);
    this.addWords(mail.body, Math.min(mail.body.length, this.config.maxChars), SEED_BODY, BIGRAM_BODY);
    for (const marker of mail.markers) this.bump(fnv1a(marker, SEED_MARKER));
  }

  private addWords(text: string, n: number, seed: number, bigramSeed: number): void {
    const maxLen = this.config.maxTokenLength;
    const bigrams = this.config.wordBigrams;
    let prev = 0;
    let hash = seed;
    let len = 0;
    for (let i = 0; i <= n; i++) {
      const raw = i < n ? text.charCodeAt(i) : SPACE;
      const c = wordCode(raw);
      if (c >= 0) {
        if (len < maxLen) hash = Math.imul(hash ^ c, FNV_PRIME);
        len++;
        continue;
      }
      if (len > 0) {
        this.tokenCount++;
        this.bump(hash);
        if (bigrams && prev !== 0) this.bump(combineHashes(prev ^ bigramSeed, hash));
        prev = hash;
        hash = seed;
        len = 0;
      }
      if (raw === DOLLAR || raw === BANG) {
        // '$' and '!' are strong tokens on their own.
        const sym = Math.imul(seed ^ raw, FNV_PRIME);
        this.tokenCount++;
        this.bump(sym);
        prev = sym;
      }
    }
  }

  /** Appends lower-cased `text` to the char buffer with whitespace runs collapsed to one space. */
  private appendChars(text: string, len: number, limit: number): number {
    const buf = this.chars;
    for (let i = 0; i < text.length && len < limit; i++) {
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      else if (c === 9 || c === 10 || c === 13 || c === 0xa0) c = SPACE;
      if (c === SPACE && buf[len - 1] === SPACE) continue;
      buf[len++] = c;
    }
    return len;
  }

  private collectChars(mail: ParsedMail): void {
    const limit = this.config.charNgramMaxChars + 2;
    if (this.chars.length < limit + 1) this.chars = new Uint16Array(limit + 1);
    const buf = this.chars;
    buf[0] = SPACE;
    let len = this.appendChars(mail.subject.slice(0, MAX_SUBJECT_CHARS), 1, limit);
    if (buf[len - 1] !== SPACE) buf[len++] = SPACE;
    len = this.appendChars(mail.body, len, limit);
    if (buf[len - 1] !== SPACE) buf[len++] = SPACE;
    const [min, max] = this.config.charNgrams;
    this.reserve(len * (max - min + 1));
    const counts = this.counts;
    const touched = this.touched;
    const mask = this.mask;
    let nt = this.nTouched;
    let start = 0;
    if (min === 3 && max === 5) {
      // Unrolled fast path for the shipped configuration (about 3x faster than the loop
      // below); it visits exactly the same n-grams, the loop then finishes the tail.
      for (; start + 5 <= len; start++) {
        let h = Math.imul(SEED_CHAR ^ (buf[start] as number), FNV_PRIME);
        h = Math.imul(h ^ (buf[start + 1] as number), FNV_PRIME);
        h = Math.imul(h ^ (buf[start + 2] as number), FNV_PRIME);
        let b = (h ^ 2) & mask;
        let c = counts[b] as number;
        if (c === 0) touched[nt++] = b;
        counts[b] = c + 1;
        h = Math.imul(h ^ (buf[start + 3] as number), FNV_PRIME);
        b = (h ^ 3) & mask;
        c = counts[b] as number;
        if (c === 0) touched[nt++] = b;
        counts[b] = c + 1;
        h = Math.imul(h ^ (buf[start + 4] as number), FNV_PRIME);
        b = (h ^ 4) & mask;
        c = counts[b] as number;
        if (c === 0) touched[nt++] = b;
        counts[b] = c + 1;
      }
    }
    for (let i = start; i + min <= len; i++) {
      let h = SEED_CHAR;
      const end = Math.min(len, i + max);
      for (let j = i; j < end; j++) {
        h = Math.imul(h ^ (buf[j] as number), FNV_PRIME);
        if (j - i + 1 >= min) {
          const b = (h ^ (j - i)) & mask;
          const c = counts[b] as number;
          if (c === 0) touched[nt++] = b;
          counts[b] = c + 1;
        }
      }
    }
    this.nTouched = nt;
  }

  /** Makes room for `extra` more touched buckets. */
  private reserve(extra: number): void {
    if (this.nTouched + extra <= this.touched.length) return;
    const grown = new Int32Array(Math.max(this.touched.length * 2, this.nTouched + extra));
    grown.set(this.touched.subarray(0, this.nTouched));
    this.touched = grown;
  }

  /** Weighted, normalised sparse vector of the collected counts; resets the counts. */
  private flushVector(norm: number): SparseVector {
    const n = this.nTouched;
    const indices = this.touched.slice(0, n);
    const values = new Float32Array(n);
    let sq = 0;
    for (let k = 0; k < n; k++) {
      const b = indices[k] as number;
      const v = dampedTf(this.counts[b] as number);
      values[k] = v;
      sq += v * v;
      this.counts[b] = 0;
    }
    this.nTouched = 0;
    const scale = sq > 0 ? norm / Math.sqrt(sq) : 0;
    for (let k = 0; k < n; k++) values[k] = (values[k] as number) * scale;
    return { indices, values };
  }

  /** Same values as flushVector, dotted with `weights` directly; resets the counts. */
  private flushDot(norm: number, weights: Float32Array): number {
    const n = this.nTouched;
    const touched = this.touched;
    let sq = 0;
    let dot = 0;
    for (let k = 0; k < n; k++) {
      const b = touched[k] as number;
      const v = dampedTf(this.counts[b] as number);
      sq += v * v;
      dot += v * (weights[b] as number);
      this.counts[b] = 0;
    }
    this.nTouched = 0;
    return sq > 0 ? (dot * norm) / Math.sqrt(sq) : 0;
  }
}

function concat(a: SparseVector, b: SparseVector): SparseVector {
  const indices = new Int32Array(a.indices.length + b.indices.length);
  indices.set(a.indices);
  indices.set(b.indices, a.indices.length);
  const values = new Float32Array(indices.length);
  values.set(a.values);
  values.set(b.values, a.values.length);
  return { indices, values };
}

/** Dot product of a sparse vector with dense weights. */
export function sparseDot(x: SparseVector, weights: Float32Array | Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.indices.length; k++) s += (x.values[k] as number) * (weights[x.indices[k] as number] as number);
  return s;
}
