import type { LoggedCall, NewUserRecord } from '../src/index.ts';

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

/** A successful call of `owner` at `at` with one prediction: a v1 label (default) or a v2 value. */
export function loggedCall(
  owner: number,
  at: Date,
  p: { service?: 'v1' | 'v2'; input?: Record<string, unknown>; predicted?: string | number } = {},
): LoggedCall {
  const service = p.service ?? 'v1';
  const predicted = p.predicted ?? (service === 'v1' ? 'spam' : 20);
  return {
    call: {
      serviceVersion: service,
      success: true,
      error: null,
      owner,
      requestTime: at,
      completionTime: at,
      duration: 1,
      modelVersion: '1.0.0',
    },
    predictions: [
      {
        serviceVersion: service,
        modelName: service === 'v1' ? 'spam' : 'house',
        modelVersion: '1.0.0',
        input: p.input ?? { text: 'x' },
        output: typeof predicted === 'number' ? { price: predicted } : { category: predicted },
        predictedValue: typeof predicted === 'number' ? predicted : null,
        predictedLabel: typeof predicted === 'string' ? predicted : null,
        createdAt: at,
      },
    ],
  };
}

/** Waits until `done()` holds, failing after two seconds. */
export const until = async (done: () => boolean) => {
  const deadline = Date.now() + 2000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};
