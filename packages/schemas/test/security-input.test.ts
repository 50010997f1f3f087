import { describe, expect, it } from 'vitest';
import {
  apiKeyIdInput,
  auditQuery,
  changePasswordInput,
  createApiKeyInput,
  isPlainText,
  maxInt32,
  metricsQuery,
  plainString,
  predictionIdSchema,
  registerInput,
  tokenInput,
  usageQuery,
  userIdInput,
} from '../src/index.ts';

const user = {
  username: 'ada@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  password: 'correct horse',
  country: 'UK',
};
const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('plain text (NUL bytes and lone surrogates)', () => {
  it('isPlainText refuses NUL and unpaired surrogates, accepts paired ones', () => {
    expect(isPlainText('hello')).toBe(true);
    expect(isPlainText('emoji 😀 ok')).toBe(true);
    expect(isPlainText('a\u0000b')).toBe(false);
    expect(isPlainText('a\ud800b')).toBe(false);
    expect(isPlainText('a\udc00')).toBe(false);
    expect(isPlainText('\udc00\ud800')).toBe(false);
  });

  it('plainString names the field', () => {
    const r = plainString('first_name').safeParse('x\u0000');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('first_name must not contain NUL characters or unpaired surrogates');
  });

  it('every stored registration field refuses NUL, naming the field', () => {
    for (const field of ['username', 'first_name', 'last_name', 'country'] as const) {
      const r = registerInput.safeParse({
        ...user,
        [field]: field === 'username' ? 'ada\u0000@example.com' : 'A\u0000',
      });
      expect(r.success, field).toBe(false);
      expect(messages(r).join('\n')).toMatch(new RegExp(`^${field}: ${field} must not contain NUL`, 'm'));
    }
  });

  it('login username and OAuth2 extras refuse NUL and lone surrogates; the password is excepted', () => {
    for (const field of ['username', 'scope', 'client_id', 'client_secret'] as const) {
      const r = tokenInput.safeParse({ username: 'ada@example.com', password: 'pw', [field]: 'x\ud800' });
      expect(r.success, field).toBe(false);
      expect(messages(r)).toContain(`${field}: ${field} must not contain NUL characters or unpaired surrogates`);
    }
    expect(tokenInput.safeParse({ username: 'ada@example.com', password: 'pass\u0000word' }).success).toBe(true);
    expect(registerInput.safeParse({ ...user, password: 'pass\u0000word' }).success).toBe(true);
  });

  it('API key name, metrics model_version and analytics tz refuse NUL', () => {
    expect(messages(createApiKeyInput.safeParse({ name: 'ci\u0000', services: ['v1'] }))).toContain(
      'name: name must not contain NUL characters or unpaired surrogates',
    );
    expect(messages(metricsQuery.safeParse({ model_version: 'v\u0000' }))).toContain(
      'model_version: model_version must not contain NUL characters or unpaired surrogates',
    );
    expect(messages(usageQuery.safeParse({ tz: 'UTC\u0000' })).join('\n')).toContain('tz: tz must not contain NUL');
  });
});

describe('ids bounded by their columns', () => {
  it('accepts 1 and 2147483647, refuses 0, 2147483648 and 3000000000 naming the field', () => {
    expect(maxInt32).toBe(2147483647);
    expect(userIdInput.parse({ user_id: '2147483647' }).user_id).toBe(2147483647);
    for (const bad of ['0', '2147483648', '3000000000', '1.5', 'abc']) {
      expect(messages(userIdInput.safeParse({ user_id: bad }))[0], bad).toMatch(/^user_id: user_id must/);
      expect(messages(apiKeyIdInput.safeParse({ key_id: bad }))[0], bad).toMatch(/^key_id: key_id must/);
      expect(messages(auditQuery.safeParse({ user_id: bad }))[0], bad).toMatch(/^user_id: user_id must/);
      expect(messages(usageQuery.safeParse({ user_id: bad }))[0], bad).toMatch(/^user_id: user_id must/);
    }
    // Log ids are 64-bit columns: bounded by what a JSON number carries exactly.
    expect(predictionIdSchema.parse('3000000000')).toBe(3000000000);
    expect(predictionIdSchema.parse(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ['0', String(2 ** 53), '1.5', 'abc'])
      expect(predictionIdSchema.safeParse(bad).success, bad).toBe(false);
    expect(messages(usageQuery.safeParse({ user_id: '3000000000' }))).toContain(
      'user_id: user_id must be at most 2147483647',
    );
  });
});

describe('login and password validation', () => {
  it('a login username is capped at 254 characters after trimming', () => {
    const local = 'a'.repeat(254 - '@example.com'.length);
    expect(tokenInput.safeParse({ username: `  ${local}@example.com  `, password: 'pw' }).success).toBe(true);
    expect(messages(tokenInput.safeParse({ username: 'a'.repeat(300), password: 'pw' }))).toContain(
      'username: username must be at most 254 characters',
    );
  });

  it('a presented password over 72 bytes is refused at login and password change', () => {
    const long = 'p'.repeat(73);
    expect(messages(tokenInput.safeParse({ username: 'ada@example.com', password: long }))[0]).toMatch(
      /^password: password must be at most 72 bytes/,
    );
    expect(messages(changePasswordInput.safeParse({ password: long, new_password: 'long enough' }))[0]).toMatch(
      /^password: password must be at most 72 bytes/,
    );
    expect(tokenInput.safeParse({ username: 'ada@example.com', password: 'p'.repeat(72) }).success).toBe(true);
  });

  it('new passwords need 8 characters; presented ones do not', () => {
    expect(messages(registerInput.safeParse({ ...user, password: '1234567' }))).toContain(
      'password: password must be at least 8 characters',
    );
    expect(registerInput.safeParse({ ...user, password: '12345678' }).success).toBe(true);
    expect(messages(changePasswordInput.safeParse({ password: '8888', new_password: 'short' }))).toEqual([
      'new_password: new_password must be at least 8 characters',
    ]);
    expect(tokenInput.safeParse({ username: 'superuser@example.com', password: '8888' }).success).toBe(true);
  });
});
