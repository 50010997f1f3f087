import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestServer, superuser, type TestServer } from '@mlapi/server/testing';
import { allItems, createClient, pages, type MlapiClient } from '../src/index.ts';
import { failure } from './failure.ts';

let server: TestServer;
let admin: MlapiClient;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  admin = createClient({ url: server.url });
  await admin.login(superuser.username, superuser.password);
  for (let i = 0; i < 7; i++) await admin.apiKeys.create.mutate({ name: `walk ${i}`, services: ['v1'] });
});
afterAll(() => server?.stop());

describe('walking a list by next_cursor', () => {
  it('allItems yields every item once, in the order one big page has them', async () => {
    const whole = await admin.apiKeys.list.query({ limit: 500 });
    expect(whole.next_cursor).toBeNull();
    const walked = [];
    for await (const key of allItems(admin.apiKeys.list, { limit: 3 })) walked.push(key);
    expectTypeOf(walked[0]!.name).toEqualTypeOf<string>();
    expect(walked.map((k) => k.id)).toEqual(whole.items.map((k) => k.id));
    expect(walked).toHaveLength(7);
  });

  it('pages yields each page with its cursor, the last one with none, and keeps the list filters', async () => {
    const seen = [];
    for await (const page of pages(admin.apiKeys.list, { limit: 3 })) seen.push(page);
    expect(seen.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(seen.map((p) => p.next_cursor === null)).toEqual([false, false, true]);
    expect(seen.every((p) => p.total === 7 && p.total_exact)).toBe(true);

    const audit = [];
    for await (const page of pages(admin.admin.audit, { user_id: 1, limit: 2 })) audit.push(...page.items);
    expect(audit.every((entry) => entry.target_user_id === 1)).toBe(true);
  });

  it('a cursor that is not one is a BAD_REQUEST naming cursor', async () => {
    const err = await failure(admin.apiKeys.list.query({ cursor: 'not-a-cursor' }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.issues.map((i) => i.path.join('.'))).toEqual(['cursor']);
  });
});
