import { models, type ModelRegistry } from '@mlapi/ml';
import { describe, expect, it } from 'vitest';
import { ServedModels } from '../src/features/models/served-models.ts';

/** A stand-in v2 model that records when it is disposed of. */
const versionOf = (version: string, events: string[]) =>
  ({ ...models.v2, version, dispose: async () => void events.push(`dispose ${version}`) }) as ModelRegistry['v2'];

describe('ServedModels', () => {
  it('a call keeps the model it started with; the old model is disposed of only after its last call ends', async () => {
    const events: string[] = [];
    const served = new ServedModels({ v1: models.v1, v2: versionOf('1', events) });
    let finish!: () => void;
    const running = served.use('v2', async (m) => {
      await new Promise<void>((done) => (finish = done));
      events.push(`call on ${m.version} done`);
      return m.version;
    });

    const swapped = served.swap('v2', versionOf('2', events));
    expect(served.current('v2').version).toBe('2'); // new calls see the new model at once
    expect(await served.use('v2', async (m) => m.version)).toBe('2');
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]); // the old one is still busy

    finish();
    expect(await running).toBe('1');
    await swapped;
    expect(events).toEqual(['call on 1 done', 'dispose 1']);
  });

  it('a model without calls in flight is disposed of at once', async () => {
    const events: string[] = [];
    const served = new ServedModels({ v1: models.v1, v2: versionOf('1', events) });
    await served.swap('v2', versionOf('2', events));
    expect(events).toEqual(['dispose 1']);
  });

  it('a shadow candidate never answers a call; it runs only shadow work, and is disposed of after it', async () => {
    const events: string[] = [];
    const served = new ServedModels({ v1: models.v1, v2: versionOf('1', events) });
    const shadow = { model: versionOf('2', events), versionId: 2, rolloutId: 1, mode: 'shadow' as const, percent: 0 };
    await served.setCandidate('v2', shadow);
    for (let user = 1; user <= 50; user++) expect(await served.use('v2', async (m) => m.version, user)).toBe('1');
    let finish!: () => void;
    const running = served.useShadow('v2', async (m) => {
      await new Promise<void>((done) => (finish = done));
      return m.version;
    });
    const stopped = served.setCandidate('v2', null);
    expect(served.useShadow('v2', async () => 'ran')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]); // still predicting
    finish();
    expect(await running).toBe('2');
    await stopped;
    expect(events).toEqual(['dispose 2']);

    // A canary's candidate is no shadow.
    await served.setCandidate('v2', { ...shadow, mode: 'canary', percent: 50 });
    expect(served.useShadow('v2', async () => 'ran')).toBeUndefined();
  });
});
