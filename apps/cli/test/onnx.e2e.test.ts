import {
  tinyHouse,
  tinyJunkManifest,
  writeBagOfWordsModel,
  writeLinearModel,
  writeManifest,
} from '@mlapi/onnx/testing';
import { parse as parseCsv } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { login, restClient, startTestServer, superuser, type TestServer } from '@mlapi/server/testing';
import { run } from '../src/program.ts';
import { hamMail, mlapi, newHome } from './helpers.ts';

/**
 * Bring your own model, from the shell: the real server serves ONNX graphs written here (outputs known by hand)
 * as v2 (a house-price regressor with its own fields) on one server and v1 (a text classifier whose text field is
 * not called "text", labels ok/junk) on another; the CLI learns their fields from the server.
 */
const { manifest: houseManifest, price } = tinyHouse;
const { first: weights1, second: weights2 } = tinyHouse.weights;

const junkManifest = tinyJunkManifest('0.3.0');
/** logit = count(free) + 2·count(money) − 3·count(meeting) − 1 */
const junkLogit = (text: string) => {
  const words = text.toLowerCase().split(' ');
  const n = (w: string) => words.filter((x) => x === w).length;
  return n('free') + 2 * n('money') - 3 * n('meeting') - 1;
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

const root = mkdtempSync(join(tmpdir(), 'mlapi-cli-onnx-'));
const dirV2 = join(root, 'house');
const dirV1 = join(root, 'junk');
const home = newHome();
let house: TestServer; // v2: tiny-house (ONNX), v1: built-in
let junk: TestServer; // v1: tiny-junk (ONNX), v2: built-in
const onHouse = (args: string[], input?: string) => mlapi(args, { home, url: house.url, input });
const onJunk = (args: string[], input?: string) => mlapi(args, { home, url: junk.url, input });
const json = (r: { stdout: string }) => JSON.parse(r.stdout);

beforeAll(async () => {
  await writeLinearModel(dirV2, weights1);
  await writeManifest(dirV2, houseManifest('1.0.0'));
  await writeBagOfWordsModel(dirV1, { vocabulary: ['free', 'money', 'meeting'], weights: [1, 2, -3], bias: -1 });
  await writeManifest(dirV1, junkManifest);
  [house, junk] = await Promise.all([
    startTestServer('sqlite', { MODEL_DIR_V2: dirV2 }),
    startTestServer('sqlite', { MODEL_DIR_V1: dirV1 }),
  ]);
  for (const onServer of [onHouse, onJunk]) {
    const r = await onServer(['login', '-u', superuser.username, '--password-stdin'], `${superuser.password}\n`);
    expect(r.code).toBe(0);
  }
});
afterAll(async () => {
  await Promise.all([house?.stop(), junk?.stop()]);
});

const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe.concurrent('a v2 model of your own (ONNX): predict with its fields', () => {
  it('--<field> flags, coerced by the field types, give the hand-computed price', async () => {
    const x = { rooms: 3, area: 80, garden: true };
    const r = await onHouse(['predict', 'v2', '--rooms', '3', '--area', '80', '--garden', 'true', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({ price: price(weights1, x), prediction_id: expect.any(Number), model_version: '1.0.0' });
    expect(price(weights1, x)).toBe(60_000); // (3·2 + 80·0.5 + 4 + 10) × 1000
    const noGarden = await onHouse(['predict', 'v2', '--rooms=2', '--area', '10.5', '--garden', '0', '--json']);
    expect(json(noGarden).price).toBe(price(weights1, { rooms: 2, area: 10.5, garden: false }));
    const human = await onHouse(['predict', 'v2', '--garden', 'false', '--area', '0', '--rooms', '1']);
    expect(human.stdout).toMatch(/price\t12000/); // (1·2 + 0 + 0 + 10) × 1000
    expect(human.stdout).toMatch(/model_version\t1\.0\.0/);
  });

  it('--input JSON (also from stdin), single flags overriding its keys', async () => {
    const r = await onHouse([
      'predict',
      'v2',
      '--input',
      JSON.stringify({ rooms: 3, area: 80, garden: true }),
      '--area',
      '100',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(json(r).price).toBe(price(weights1, { rooms: 3, area: 100, garden: true }));
    const stdin = await onHouse(
      ['predict', 'v2', '--input', '-', '--json'],
      JSON.stringify({ rooms: 4, area: 50, garden: false }),
    );
    expect(json(stdin).price).toBe(price(weights1, { rooms: 4, area: 50, garden: false }));
  });

  it.each([
    [['--roomz', '3'], /unknown option '--roomz'[\s\S]*Did you mean --rooms\?/],
    [
      ['--rooms', '3.5', '--area', '1', '--garden', 'true'],
      /option '--rooms <integer>' argument '3.5' is invalid\. expected an integer/,
    ],
    [
      ['--rooms', '3', '--area', '1', '--garden', 'maybe'],
      /argument 'maybe' is invalid\. expected true or false \(or 1 or 0\)/,
    ],
    [['--rooms', '30', '--area', '1', '--garden', 'true'], /^mlapi: --rooms must be <= 20\n$/],
    [['--rooms', '3'], /^mlapi: --area is required; --garden is required\n$/],
    [
      ['--input', '{"rooms":3,"area":80,"garden":true,"pool":true}'],
      /^mlapi: unknown field pool: tiny-house takes rooms, area, garden\n$/,
    ],
    [['--input', '{"rooms":"3","area":80,"garden":true}'], /^mlapi: --rooms must be a number\n$/],
  ])('predict v2 %j is a usage error (exit 2) naming the field', async (args, message) => {
    const r = await onHouse(['predict', 'v2', ...args]);
    expect(r.stderr).toMatch(message);
    noStack(r.stderr);
    expect(r.code).toBe(2);
  });

  it('--file CSV with columns named like the fields (extra columns ignored); a bad row fails alone', async () => {
    const csv = join(home.home, 'houses.csv');
    writeFileSync(csv, 'id,rooms,area,garden\na,3,80,true\nb,1,0,0\nc,0,10,false\nd,20,1000,1\n');
    const out = join(home.home, 'prices.csv');
    const r = await onHouse(['predict', 'v2', '--file', csv, '--out', out, '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/done: 4 items, 3 ok, 1 failed/);
    const rows = parseCsv<Record<string, string>>(readFileSync(out, 'utf8'), { columns: true });
    expect(Object.keys(rows[0]!)).toEqual(['index', 'ok', 'price', 'prediction_id', 'model_version', 'error']);
    expect(rows.map((x) => x['price'])).toEqual([
      String(price(weights1, { rooms: 3, area: 80, garden: true })),
      String(price(weights1, { rooms: 1, area: 0, garden: false })),
      '',
      String(price(weights1, { rooms: 20, area: 1000, garden: true })),
    ]);
    expect(rows[2]).toMatchObject({ ok: 'false', error: 'rooms must be >= 1' });
  });

  it('--file JSONL objects', async () => {
    const file = join(home.home, 'houses.jsonl');
    writeFileSync(
      file,
      [
        { rooms: 3, area: 80, garden: true },
        { rooms: 5, area: 120, garden: false },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n') + '\n',
    );
    const r = await onHouse(['predict', 'v2', '--file', file, '--no-progress']);
    expect(r.code).toBe(0);
    const results = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results.map((x) => x.price)).toEqual([
      price(weights1, { rooms: 3, area: 80, garden: true }),
      price(weights1, { rooms: 5, area: 120, garden: false }),
    ]);
  });

  it('mlapi models show v2 lists the fields: name, type, range, description, and how to call it', async () => {
    const r = await onHouse(['models', 'show', 'v2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/model\ttiny-house/);
    expect(r.stdout).toMatch(/source\tonnx/);
    expect(r.stdout).toMatch(/rooms\tinteger\t1–20\tyes\tRooms in the house/);
    expect(r.stdout).toMatch(/area\tnumber\t0–1000\tyes\tFloor area in square metres/);
    expect(r.stdout).toMatch(/garden\tboolean\ttrue\/false/);
    expect(r.stdout).toContain('mlapi predict v2 --rooms <integer> --area <number> --garden <boolean>');
    expect(r.stdout).toMatch(/reply fields\tprice, prediction_id, model_version/);
    const raw = json(await onHouse(['models', 'show', 'v2', '--json']));
    expect(raw).toMatchObject({
      service: 'v2',
      name: 'tiny-house',
      source: 'onnx',
      input_schema: { required: ['rooms', 'area', 'garden'] },
    });
  });

  it('mlapi models show v1 describes the built-in model the same way', async () => {
    const r = await onHouse(['models', 'show', 'v1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/source\tbuiltin/);
    expect(r.stdout).toMatch(/text\tstring\t1–100000 chars\tyes/);
    expect(r.stdout).toContain('mlapi predict v1 "<text>"');
  });

  it('the built-in v1 beside it works as before', async () => {
    const r = await onHouse(['predict', 'v1', hamMail(), '--json']);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ category: 'ham' });
  });
});

describe('mlapi admin models and hot reload', () => {
  it('lists the model of each service as a table and as JSON', async () => {
    const r = await onHouse(['admin', 'models']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/v1\tbuiltin\t/);
    expect(r.stdout).toMatch(/v2\tonnx\ttiny-house\t1\.0\.0\tregression/);
    expect(r.stdout).toContain(dirV2);
    const list = json(await onHouse(['admin', 'models', '--json']));
    expect(list.items).toEqual([
      expect.objectContaining({ service: 'v1', source: 'builtin', sha256: null }),
      expect.objectContaining({
        service: 'v2',
        source: 'onnx',
        name: 'tiny-house',
        version: '1.0.0',
        directory: dirV2,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    expect(r.stdout).toContain(list.items[1].sha256.slice(0, 12));
    expect(r.stdout).not.toContain(list.items[1].sha256);
  });

  it('reloads a new version written into the directory: the next predict answers with it', async () => {
    const before = json(await onHouse(['admin', 'models', '--json'])).items[1].sha256 as string;
    await writeLinearModel(dirV2, weights2);
    await writeManifest(dirV2, houseManifest('1.1.0'));
    const r = await onHouse(['admin', 'models', 'reload', 'v2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reloaded v2: tiny-house 1.0.0 → tiny-house 1.1.0.');
    expect(r.stdout).toMatch(/version\t1\.0\.0 → 1\.1\.0/);
    expect(r.stdout).toMatch(new RegExp(`sha256\\t${before.slice(0, 12)} → [0-9a-f]{12}`));
    expect(r.stdout).toMatch(/changed\tyes/);

    const x = { rooms: 3, area: 80, garden: true };
    const p = json(await onHouse(['predict', 'v2', '--rooms', '3', '--area', '80', '--garden', 'true', '--json']));
    expect(p).toMatchObject({ price: price(weights2, x), model_version: '1.1.0' });

    const again = await onHouse(['admin', 'models', 'reload', 'v2', '--json']);
    expect(json(again)).toMatchObject({
      service: 'v2',
      changed: false,
      previous: { version: '1.1.0' },
      current: { version: '1.1.0' },
    });
    expect((await onHouse(['admin', 'models', 'reload', 'v2'])).stdout).toContain(
      'the files hold the same model (tiny-house 1.1.0); nothing changed',
    );
  });

  it('a reload of a built-in service is refused: exit 1 with the server message', async () => {
    const r = await onHouse(['admin', 'models', 'reload', 'v1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^mlapi: v1 serves the built-in model; set MODEL_DIR_V1 to a directory with model\.onnx and manifest\.json/,
    );
    noStack(r.stderr);
    expect(r.stdout).toBe('');
  });

  it('a reload of broken files is refused and the old model keeps serving', async () => {
    writeFileSync(join(dirV2, 'manifest.json'), '{ not json');
    const r = await onHouse(['admin', 'models', 'reload', 'v2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^mlapi: v2 was not reloaded and still serves tiny-house 1\.1\.0: /);
    await writeManifest(dirV2, houseManifest('1.1.0'));
    expect(
      json(await onHouse(['predict', 'v2', '--rooms', '1', '--area', '1', '--garden', '1', '--json'])).model_version,
    ).toBe('1.1.0');
  });

  it('the registry: versions, register, promote and rollback, each answering with the version that serves', async () => {
    const versions = await onHouse(['admin', 'models', 'versions', 'v2']);
    expect(versions.code).toBe(0);
    expect(versions.stdout).toContain('v2: 1.1.0 is live');
    expect(versions.stdout).toMatch(/1\.1\.0\tlive\tonnx\ttiny-house\t[0-9a-f]{12}\tsuperuser@example\.com/);
    expect(versions.stdout).toMatch(/1\.0\.0\tretired\tonnx/);
    expect(versions.stdout).toMatch(/1\.1\.0\treload\tsuperuser@example\.com\t[\d-]+ [\d:]+\tnow/);

    const candidate = join(root, 'house-1.2.0');
    await writeLinearModel(candidate, weights1);
    await writeManifest(candidate, houseManifest('1.2.0'));
    // Uploaded from this machine's disk, by default.
    const registered = await onHouse(['admin', 'models', 'register', 'v2', candidate]);
    expect(registered.stderr).toMatch(/^Uploading 2 files \(\d+ B\) from .*house-1\.2\.0…\n$/);
    expect(registered.stdout).toMatch(/^Registered v2 tiny-house 1\.2\.0 \(sha256 [0-9a-f]{12}\)/);
    // A directory the server reads: the path only.
    const onServer = join(root, 'house-1.3.0');
    await writeLinearModel(onServer, weights1);
    await writeManifest(onServer, houseManifest('1.3.0'));
    const byPath = await onHouse(['admin', 'models', 'register', 'v2', onServer, '--on-server', '--json']);
    expect(byPath.stderr).toBe('');
    expect(json(byPath)).toMatchObject({ version: '1.3.0', state: 'registered', source: 'onnx' });
    const missing = await onHouse(['admin', 'models', 'register', 'v2', join(root, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere: no such directory on this machine \(--on-server sends a path/);
    // A canary of it first: half of the users, then stopped.
    const deployed = await onHouse(['admin', 'models', 'deploy', 'v2', '1.2.0', '--canary', '50']);
    expect(deployed.stdout).toMatch(
      /^v2: 1\.2\.0 answers 50% of users \(a canary beside 1\.1\.0\), on every replica\./,
    );
    expect((await onHouse(['admin', 'models', 'versions', 'v2'])).stdout).toContain(
      'v2: 1.1.0 is live; 1.2.0 is a 50% canary',
    );
    const both = await onHouse(['admin', 'models', 'deploy', 'v2', '1.3.0', '--canary', '10', '--shadow']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^mlapi: use --shadow or --canary <percent>, one of the two\n$/);
    const badShare = await onHouse(['admin', 'models', 'deploy', 'v2', '1.3.0', '--canary', '100']);
    expect(badShare.code).toBe(2);
    expect(badShare.stderr).toMatch(/--canary.*1 to 99/);
    const stopped = await onHouse(['admin', 'models', 'rollback', 'v2']);
    expect(stopped.stdout).toBe('v2: the rollout of 1.2.0 stopped; 1.1.0 answers everyone.\n');
    // Then as a shadow: every call predicted by it too, unanswered, and counted apart in the comparison.
    const shadowed = await onHouse(['admin', 'models', 'deploy', 'v2', '1.2.0', '--shadow']);
    expect(shadowed.stdout).toMatch(
      /^v2: 1\.2\.0 predicts every call beside 1\.1\.0 \(a shadow: 1\.1\.0 still answers\), on every replica\./,
    );
    expect((await onHouse(['admin', 'models', 'versions', 'v2'])).stdout).toContain(
      'v2: 1.1.0 is live; 1.2.0 is its shadow',
    );
    const housePredict = ['predict', 'v2', '--rooms', '3', '--area', '80', '--garden', 'true', '--json'];
    expect(json(await onHouse(housePredict)).model_version).toBe('1.1.0');
    await expect
      .poll(async () => json(await onHouse(['admin', 'models', 'compare', 'v2', '--json'])).candidate.shadow)
      .toBe(1);
    expect((await onHouse(['admin', 'models', 'compare', 'v2'])).stdout).toMatch(/ {2}of which shadow\t0\t1\n/);
    expect((await onHouse(['admin', 'models', 'rollback', 'v2'])).stdout).toBe(
      'v2: the rollout of 1.2.0 stopped; 1.1.0 answers everyone.\n',
    );
    const compared = await onHouse(['admin', 'models', 'compare', 'v2']);
    expect(compared.stdout).toMatch(
      /^v2: 1\.2\.0 against 1\.1\.0, .* → .* \(the rollout started by superuser@example\.com\)\n/,
    );
    expect(compared.stdout).toMatch(/calls\t\d+\t\d+/);
    expect(compared.stdout).toMatch(/MAE\t/);
    expect(json(await onHouse(['admin', 'models', 'compare', 'v2', '--json'])).candidate.version).toBe('1.2.0');
    const promoted = await onHouse(['admin', 'models', 'promote', 'v2', '1.2.0']);
    expect(promoted.stdout).toContain('v2: 1.1.0 → 1.2.0, live now. Undo: mlapi admin models rollback v2');
    const predict = ['predict', 'v2', '--rooms', '3', '--area', '80', '--garden', 'true', '--json'];
    expect(json(await onHouse(predict)).model_version).toBe('1.2.0');
    expect((await onHouse(['admin', 'models', 'rollback', 'v2'])).stdout).toContain('v2: 1.2.0 → 1.1.0, live again.');
    expect(json(await onHouse(predict)).model_version).toBe('1.1.0');

    const unknown = await onHouse(['admin', 'models', 'promote', 'v2', '7.7.7']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^mlapi: v2 has no version 7\.7\.7/);
    noStack(unknown.stderr);
  });

  it('an unknown service is a usage error', async () => {
    const r = await onHouse(['admin', 'models', 'reload', 'v3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/value 'v3' is invalid for argument 'service'. Allowed choices are v1, v2/);
  });
});

describe.concurrent('a v1 text classifier of your own (ONNX)', () => {
  it('the text argument fills its one text field, whatever its name', async () => {
    const text = 'FREE money free';
    const r = await onJunk(['predict', 'v1', text, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reply = json(r);
    expect(reply).toMatchObject({ verdict: 'junk', model_version: '0.3.0' });
    expect(reply.p_junk).toBeCloseTo(sigmoid(junkLogit(text)), 5); // sigmoid(3)
    const stdin = await onJunk(['predict', 'v1', '-', '--json'], 'meeting about money');
    expect(json(stdin)).toMatchObject({ verdict: 'ok' });
    const human = await onJunk(['predict', 'v1', 'free meeting']);
    expect(human.stdout).toMatch(/verdict\tok/);
    expect(human.stdout).toMatch(/P\(junk\)\t0\.0474/); // sigmoid(−3)
  });

  it('takes the field as an option, or --input', async () => {
    const flag = await onJunk(['predict', 'v1', '--mail', 'money money', '--json']);
    expect(flag.code).toBe(0);
    expect(json(flag).p_junk).toBeCloseTo(sigmoid(3), 5);
    const input = await onJunk(['predict', 'v1', '--input', '{"mail":"free"}', '--json']);
    expect(json(input).p_junk).toBeCloseTo(sigmoid(0), 5);
    const bad = await onJunk(['predict', 'v1', '--input', '{"mail":""}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('mlapi: --mail must not be empty\n');
  });

  it('batches JSONL (bare strings or objects) and CSV with a column named like the field', async () => {
    const jsonl = join(home.home, 'mails.jsonl');
    writeFileSync(jsonl, ['"free money"', '{"mail":"meeting"}', '""'].join('\n') + '\n');
    const r = await onJunk(['predict', 'v1', '--file', jsonl, '--no-progress']);
    expect(r.code).toBe(0);
    const results = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results.map((x) => x.verdict)).toEqual(['junk', 'ok', undefined]);
    expect(results[2]).toEqual({ index: 2, ok: false, error: 'mail must not be empty' });
    const csv = join(home.home, 'mails.csv');
    writeFileSync(csv, 'mail\nfree free free\nhello\n');
    const c = await onJunk(['predict', 'v1', '--file', csv, '--format', 'csv', '--no-progress']);
    const rows = parseCsv<Record<string, string>>(c.stdout, { columns: true });
    expect(Object.keys(rows[0]!)).toEqual([
      'index',
      'ok',
      'verdict',
      'p_junk',
      'probabilities',
      'prediction_id',
      'model_version',
      'error',
    ]);
    expect(rows.map((x) => x['verdict'])).toEqual(['junk', 'ok']);
  });

  it('feedback takes the model labels; models show names the text field', async () => {
    const p = json(await onJunk(['predict', 'v1', 'free', '--json']));
    const fb = await onJunk(['feedback', 'v1', String(p.prediction_id), 'junk', '--json']);
    expect(fb.stderr).toBe('');
    expect(json(fb)).toMatchObject({ prediction_id: p.prediction_id, actual: 'junk' });
    const wrong = await onJunk(['feedback', 'v1', String(p.prediction_id), 'maybe']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe("mlapi: actual must be one of 'ok', 'junk' (tiny-junk 0.3.0)\n");
    // 'spam' fits the built-in model's labels, so it goes to the server, which names this model's labels.
    const spam = await onJunk(['feedback', 'v1', String(p.prediction_id), 'spam']);
    expect(spam.code).toBe(1);
    expect(spam.stderr).toMatch(/^mlapi: .*actual must be one of 'ok', 'junk'/);
    const show = await onJunk(['models', 'show', 'v1']);
    expect(show.stdout).toMatch(/labels\tok, junk/);
    expect(show.stdout).toContain('mlapi predict v1 "<mail>"');
  });
});

describe('round trips: the server is asked about the model only when the command line does not fit the built-in one', () => {
  /** Runs the CLI in this process and returns the procedures it called (tRPC paths), stdout and the exit code. */
  async function traced(url: string, token: string, args: string[]) {
    const calls: string[] = [];
    let stdout = '';
    const realFetch = globalThis.fetch;
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const path = new URL(String(input instanceof Request ? input.url : input)).pathname.replace(/^\/trpc\//, '');
      calls.push(...path.split(','));
      return realFetch(input, init);
    });
    const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await run(['node', 'mlapi', '--url', url, '--token', token, ...args]);
      return { calls, stdout, code };
    } finally {
      fetchSpy.mockRestore();
      outSpy.mockRestore();
      errSpy.mockRestore();
    }
  }

  it('built-in: one request per prediction; a model of your own: the description first', async () => {
    const token = await login(restClient(house.url), superuser.username, superuser.password);
    const builtin = await traced(house.url, token, ['predict', 'v1', hamMail(), '--json']);
    expect(builtin.code).toBe(0);
    expect(builtin.calls).toEqual(['ml.v1.predict']);
    const own = await traced(house.url, token, [
      'predict',
      'v2',
      '--rooms',
      '2',
      '--area',
      '20',
      '--garden',
      'true',
      '--json',
    ]);
    expect(own.code).toBe(0);
    expect(own.calls).toEqual(['ml.v2.model', 'ml.v2.predict']);
    expect(JSON.parse(own.stdout).price).toBe(price(weights2, { rooms: 2, area: 20, garden: true }));
  });

  it('an input shaped for the built-in model but refused (422) by a model of your own: asked, then sent as its fields', async () => {
    const token = await login(restClient(junk.url), superuser.username, superuser.password);
    const r = await traced(junk.url, token, ['predict', 'v1', 'free money', '--json']);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(['ml.v1.predict', 'ml.v1.model', 'ml.v1.predict']);
  });
});
