/**
 * The v1 model's vocabulary, for drift: which word tokens its training texts used. Its features are hashed, so it has
 * no word list to check against and every token lands in some bucket (and the character n-grams of 6,000 mails fill
 * nearly every bucket): "in the vocabulary" therefore means in this separate set of the word tokens that occurred in
 * at least `minTexts` training texts — a bitset over the tokens' 32-bit FNV-1a hashes, `2^bits` bits, stored in the
 * artifact. A hash collision can count an unseen word as known (at most the set's fill ratio of them, a few %).
 * Tokens are the featurizer's word tokens (letters and digits, lower-cased, cut at `maxTokenLength`), of the subject
 * and of the body as far as the featurizer reads them; `$` and `!` are not words here.
 */
import { wordCode, type TextFeatureConfig } from './featurizer.ts';
import { FNV_OFFSET } from './hash.ts';
import type { ParsedMail } from './mail-parser.ts';

const FNV_PRIME = 0x01000193;
const MAX_SUBJECT_CHARS = 1000;

/** Calls `visit` with the hash of each word token of `text` (its first `n` characters). */
function eachWord(text: string, n: number, maxLen: number, visit: (hash: number) => void): void {
  let hash = FNV_OFFSET;
  let len = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? wordCode(text.charCodeAt(i)) : -1;
    if (c >= 0) {
      if (len < maxLen) hash = Math.imul(hash ^ c, FNV_PRIME);
      len++;
    } else if (len > 0) {
      visit(hash);
      hash = FNV_OFFSET;
      len = 0;
    }
  }
}

/** The hashes of a parsed mail's word tokens, subject then body, as the featurizer reads them. */
export function wordHashes(mail: ParsedMail, config: Pick<TextFeatureConfig, 'maxChars' | 'maxTokenLength'>): number[] {
  const out: number[] = [];
  const push = (h: number) => out.push(h);
  eachWord(mail.subject, Math.min(mail.subject.length, MAX_SUBJECT_CHARS), config.maxTokenLength, push);
  eachWord(mail.body, Math.min(mail.body.length, config.maxChars), config.maxTokenLength, push);
  return out;
}

/**
 * A parsed mail's word tokens and, with a vocabulary, how many are not in it (`wordHashes` without the array: this
 * runs on every v1 prediction).
 */
export function countWords(
  mail: ParsedMail,
  config: Pick<TextFeatureConfig, 'maxChars' | 'maxTokenLength'>,
  vocabulary: Vocabulary | null,
): Record<string, number> {
  let tokens = 0;
  let oov = 0;
  const visit = (h: number) => {
    tokens++;
    if (vocabulary && !vocabulary.has(h)) oov++;
  };
  eachWord(mail.subject, Math.min(mail.subject.length, MAX_SUBJECT_CHARS), config.maxTokenLength, visit);
  eachWord(mail.body, Math.min(mail.body.length, config.maxChars), config.maxTokenLength, visit);
  return vocabulary ? { tokens, oov_tokens: oov } : { tokens };
}

export class Vocabulary {
  private readonly mask: number;

  constructor(
    readonly bits: number,
    private readonly set: Uint8Array,
  ) {
    if (set.length !== 2 ** bits / 8) throw new Error(`vocabulary: ${set.length} bytes for 2^${bits} bits`);
    this.mask = 2 ** bits - 1;
  }

  has(hash: number): boolean {
    const b = hash & this.mask;
    return ((this.set[b >>> 3]! >>> (b & 7)) & 1) === 1;
  }

  /** Word tokens of `hashes` and how many are not in the vocabulary. */
  count(hashes: readonly number[]): { tokens: number; oov_tokens: number } {
    let oov = 0;
    for (const h of hashes) if (!this.has(h)) oov++;
    return { tokens: hashes.length, oov_tokens: oov };
  }

  toBase64(): string {
    return Buffer.from(this.set).toString('base64');
  }

  static fromBase64(bits: number, base64: string): Vocabulary {
    return new Vocabulary(bits, new Uint8Array(Buffer.from(base64, 'base64')));
  }

  /** The words that occur in at least `minTexts` of the texts (each text given as its word hashes). */
  static build(texts: readonly (readonly number[])[], bits: number, minTexts: number): Vocabulary {
    const seen = new Map<number, number>();
    for (const hashes of texts) for (const h of new Set(hashes)) seen.set(h, (seen.get(h) ?? 0) + 1);
    const set = new Uint8Array(2 ** bits / 8);
    const mask = 2 ** bits - 1;
    for (const [h, n] of seen) {
      if (n < minTexts) continue;
      const b = h & mask;
      set[b >>> 3]! |= 1 << (b & 7);
    }
    return new Vocabulary(bits, set);
  }
}
