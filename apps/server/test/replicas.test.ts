import { createTestDatabase } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, restClient, superuser, userWithRights } from '@mlapi/server/testing';
import { spawnServer, type ServerProcess } from './spawn-server.ts';
import { hamMail } from './fixtures.ts';

describe('two server processes on one PostgreSQL database', () => {
  const database = createTestDatabase('postgresql');
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    a = await spawnServer({ DATABASE_URL: database.url });
    b = await spawnServer({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database.drop();
  });

  it('a grant on one replica is honoured by the other at once, and so is a revocation', async () => {
    const onA = restClient(a.url);
    const onB = restClient(b.url);
    const adminOnB = await login(onB, superuser.username, superuser.password);
    const user = await userWithRights(onA, await login(onA, superuser.username, superuser.password));
    expect((await onA.post('/mlservice/v1/predict', { text: hamMail }, user.token)).status).toBe(403);

    expect((await onB.put(`/admin/users/${user.id}`, { is_active: true, has_access_v1: true }, adminOnB)).status).toBe(
      204,
    );
    expect((await onA.post('/mlservice/v1/predict', { text: hamMail }, user.token)).status).toBe(200);

    expect(
      (
        await onA.put(
          `/admin/users/${user.id}`,
          { has_access_v1: false },
          await login(onA, superuser.username, superuser.password),
        )
      ).status,
    ).toBe(204);
    expect((await onB.post('/mlservice/v1/predict', { text: hamMail }, user.token)).status).toBe(403);
    expect((await onA.post('/mlservice/v1/predict', { text: hamMail }, user.token)).status).toBe(403);
  });

  it('a password changed on one replica ends the old token on the other', async () => {
    const onA = restClient(a.url);
    const onB = restClient(b.url);
    const user = await userWithRights(onA, await login(onA, superuser.username, superuser.password), {
      is_active: true,
    });
    expect(
      (await onB.put('/user/password', { password: user.password, new_password: 'another one' }, user.token)).status,
    ).toBe(204);
    expect((await onA.get('/user', user.token)).status).toBe(401);
  });
});
