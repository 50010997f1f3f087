/**
 * The v1 model's training distribution for drift (see drift/reference-bins.ts): the length of the training texts in
 * word tokens, the shipped model's predicted labels on them, their spam share, and the out-of-vocabulary rate.
 * The vocabulary is built from the training texts, so their own rate would be too low by construction (each of
 * their words is counted in it): the reference rate is measured on the hold-out texts instead, the rate new text
 * from the same source shows.
 */
import { v1Labels } from '@mlapi/schemas';
import { labelShares, quantileBins, type DriftReference } from '../drift/reference-bins.ts';
import type { TextFeatureConfig } from '../text/featurizer.ts';
import type { ParsedMail } from '../text/mail-parser.ts';
import { Vocabulary, wordHashes } from '../text/vocabulary.ts';

/** 2^19 bits (64 kB): the ≈ 31,000 words of the shipped vocabulary fill about 6 % of it. */
const vocabularyBits = 19;
/** A word of one training text only (a name, a typo, an id) is not counted as known. */
const minTexts = 2;

export interface SpamReference {
  reference: DriftReference;
  vocabulary: Vocabulary;
  minTexts: number;
}

const round = (x: number) => Number(x.toPrecision(6));

/**
 * `train` / `test`: indices of the training and hold-out texts in `parsed`; `y` their labels (1 = spam);
 * `predicted` the shipped model's label for each training text, in `train` order.
 */
export function spamReference(
  parsed: readonly ParsedMail[],
  y: readonly number[],
  split: { train: readonly number[]; test: readonly number[] },
  predicted: readonly string[],
  config: TextFeatureConfig,
): SpamReference {
  const hashes = (i: number) => wordHashes(parsed[i]!, config);
  const trainHashes = split.train.map(hashes);
  const vocabulary = Vocabulary.build(trainHashes, vocabularyBits, minTexts);
  let tokens = 0;
  let oov = 0;
  for (const i of split.test) {
    const counted = vocabulary.count(hashes(i));
    tokens += counted.tokens;
    oov += counted.oov_tokens;
  }
  const lengths = trainHashes.map((h) => h.length);
  const spam = split.train.reduce((s, i) => s + (y[i] ?? 0), 0);
  const reference: DriftReference = {
    rows: split.train.length,
    features: { tokens: quantileBins(lengths) },
    prediction: labelShares(v1Labels, predicted),
    text: {
      oov_rate: round(oov / Math.max(1, tokens)),
      mean_tokens: round(lengths.reduce((s, n) => s + n, 0) / Math.max(1, lengths.length)),
      spam_share: round(spam / Math.max(1, split.train.length)),
    },
  };
  return { reference, vocabulary, minTexts };
}
