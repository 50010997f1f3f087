import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { v2ExampleInput } from '@mlapi/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBostonModel } from '../models/boston-model.ts';
import { createSpamModel } from '../models/spam-model.ts';
import { createBuiltInModel } from '../registry.ts';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

const SPAM = [
  'Subject: FREE cash prize!!! Claim your $1,000,000 now',
  '',
  'Dear friend, you have been selected to receive a FREE prize. Click here to claim your money now!!!',
  'Limited time offer, order today. To be removed from our mailing list reply with REMOVE.',
].join('\n');
const HAM = [
  'Subject: Re: patch for the build script',
  '',
  'Thanks, I applied your patch to the CVS tree. The test suite still fails on the kernel module though;',
  'could you send the config you used? I will look at it again tomorrow.',
].join('\n');

describe('training CLI (fast path: --limit, --out)', () => {
  let out = '';
  let stderr = '';

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'mlapi-train-'));
    const result = await run(tsx, ['src/training/train.ts', '--out', out, '--limit', '400'], {
      cwd: packageDir,
      env: { ...process.env, TRAINED_AT: '2024-06-01T00:00:00Z' },
    });
    stderr = result.stderr;
  }, 60_000);

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('writes both artifacts and reports progress on stderr', async () => {
    expect((await readdir(out)).sort()).toEqual(['v1-spam.json', 'v1-spam.weights.bin', 'v2-boston.json']);
    expect(stderr).toMatch(/hold-out spam F1/);
    expect(stderr).toMatch(/fold 5\/5/);
  });

  it('records the slice and the date in the model cards', async () => {
    const spam = JSON.parse(await readFile(join(out, 'v1-spam.json'), 'utf8'));
    const boston = JSON.parse(await readFile(join(out, 'v2-boston.json'), 'utf8'));
    expect(spam.card.data.rows).toBe(400);
    expect(spam.card.trained_at).toBe('2024-06-01T00:00:00.000Z');
    expect(boston.card.data.rows).toBe(400);
    expect(boston.card.evaluation.per_fold).toHaveLength(5);
  });

  it('produces a loadable spam model that ranks obvious spam above obvious ham', async () => {
    const model = createSpamModel({ artifactDir: out });
    const [spam, ham] = await model.predictBatch([{ text: SPAM }, { text: HAM }]);
    expect(spam?.category).toBe('spam');
    expect(ham?.category).toBe('ham');
    expect(spam!.probability).toBeGreaterThan(ham!.probability);
  });

  it('produces a loadable house-price model with plausible, monotone-in-rooms prices', async () => {
    const model = createBostonModel({ artifactDir: out });
    const small = await model.predict({ ...v2ExampleInput, rm: 5, lstat: 25 });
    const big = await model.predict({ ...v2ExampleInput, rm: 8, lstat: 3 });
    for (const p of [small.price, big.price]) {
      expect(p).toBeGreaterThan(5_000);
      expect(p).toBeLessThan(50_001);
    }
    expect(big.price).toBeGreaterThan(small.price + 10_000);
  });
});

describe('training CLI: a candidate version', () => {
  it('--only v2 --version writes one artifact whose card gives that version, loadable beside the shipped one', async () => {
    const out = await mkdtemp(join(tmpdir(), 'mlapi-train-'));
    try {
      await run(
        tsx,
        ['src/training/train.ts', '--only', 'v2', '--limit', '200', '--version', '2.0.0-rc.1', '--out', out],
        {
          cwd: packageDir,
        },
      );
      expect(await readdir(out)).toEqual(['v2-boston.json']);
      const boston = JSON.parse(await readFile(join(out, 'v2-boston.json'), 'utf8'));
      expect(boston.card.version).toBe('2.0.0-rc.1');
      const candidate = createBuiltInModel('v2', out, boston.card.version);
      expect(candidate.version).toBe('2.0.0-rc.1');
      expect((await candidate.predict(v2ExampleInput)).price).toBeGreaterThan(0);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);

  it.each([
    [['--version', '2'], '--version must be a semantic version, e.g. 1.2.0'],
    [['--version', '2.0.0'], '--version names one model: give --only v1 or --only v2 with it'],
    [['--only', 'v3'], '--only must be v1 or v2'],
  ])('%j is refused (exit 2) naming the option', async (args, message) => {
    const failed = await run(tsx, ['src/training/train.ts', ...args], { cwd: packageDir }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toBe(`train: ${message}\n`);
  });
});
