import { expect } from 'vitest';
import { MlapiError } from '../src/index.ts';

/** Awaits a promise that must fail with an MlapiError and returns the error. */
export async function failure(promise: Promise<unknown>): Promise<MlapiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(MlapiError);
    return err as MlapiError;
  }
  throw new Error('expected the call to fail');
}
