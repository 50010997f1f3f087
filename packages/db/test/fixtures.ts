import type { NewUserRecord } from '../src/index.ts';

/** An active user with v1 rights (override what a test needs). */
export const newUser = (username: string, extra: Partial<NewUserRecord> = {}): NewUserRecord => ({
  username,
  firstName: 'F',
  lastName: 'L',
  country: null,
  hashedPassword: 'x',
  role: 'user',
  isActive: true,
  hasAccessV1: true,
  hasAccessV2: false,
  ...extra,
});
