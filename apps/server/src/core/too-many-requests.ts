import { TRPCError } from '@trpc/server';

/** The cause carried by a 429: how long to wait, for the `Retry-After` header. */
class RetryAfter extends Error {
  constructor(readonly seconds: number) {
    super(`retry after ${seconds} s`);
  }
}

export function tooManyRequests(message: string, until: number, now: number): TRPCError {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `${message}; retry in ${seconds} s`,
    cause: new RetryAfter(seconds),
  });
}

export function retryAfterOf(error: TRPCError): number | undefined {
  return error.cause instanceof RetryAfter ? error.cause.seconds : undefined;
}
