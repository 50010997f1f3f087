import { TRPCError } from '@trpc/server';

/** The status a request the client abandoned is counted under in /metrics (nginx's "client closed request"). */
export const clientClosedStatus = 499;

/**
 * The error a request body read ends with when the client hangs up (or its socket fails) before the body ends:
 * tRPC's own CLIENT_CLOSED_REQUEST code, so both bindings can tell it from a server fault. It is a client event:
 * logged at info level, never answered (the socket is gone), never counted as a 5xx.
 */
export function clientClosedRequest(cause?: unknown): TRPCError {
  return new TRPCError({
    code: 'CLIENT_CLOSED_REQUEST',
    message: 'the client closed the request before its body ended',
    cause,
  });
}

export const isClientClosedRequest = (error: TRPCError | undefined): boolean => error?.code === 'CLIENT_CLOSED_REQUEST';
