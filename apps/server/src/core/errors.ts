import type { FieldIssue } from '@mlapi/schemas';
import { TRPCError, type TRPCDefaultErrorShape } from '@trpc/server';
import { ZodError, ZodRealError } from 'zod';
import { retryAfterOf } from './too-many-requests.ts';

/**
 * Bad input found after parsing: the same 422 naming the field as a schema refinement would give (ZodRealError is
 * the Error subclass zod throws).
 */
export function invalidField(field: string, message: string, input?: unknown): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message,
    cause: new ZodRealError([{ code: 'custom', path: [field], message, input }]),
  });
}

/** A 409: the request conflicts with the state it would change (the message says how). */
export function conflict(message: string): TRPCError {
  return new TRPCError({ code: 'CONFLICT', message });
}

/** The zod issues behind a BAD_REQUEST; null when the error is not bad input. */
export function inputIssues(error: TRPCError): FieldIssue[] | null {
  if (error.code !== 'BAD_REQUEST' || !(error.cause instanceof ZodError)) return null;
  return error.cause.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
    code: i.code,
  }));
}

/** An issue's message, prefixed with its field unless the message already names it ("crim is required"). */
const namingItsField = (i: FieldIssue) => {
  const field = i.path.join('.');
  return !field || i.message.includes(field) || i.message.includes(String(i.path.at(-1)))
    ? i.message
    : `${field}: ${i.message}`;
};

const describeIssues = (issues: FieldIssue[]) => 'Invalid input: ' + issues.map(namingItsField).join('; ');

/** The message a client sees for an error: field by field for bad input, never internals. */
export function describeError(error: TRPCError): string {
  const issues = inputIssues(error);
  if (issues) return describeIssues(issues);
  return error.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : error.message;
}

/**
 * The single tRPC error formatter: names the failing fields of bad input, and never lets an internal message
 * (SQL, file paths) or a stack reach the client, in any environment.
 */
export function formatError({ shape, error }: { shape: TRPCDefaultErrorShape; error: TRPCError }) {
  const issues = inputIssues(error);
  const { stack: _stack, ...data } = shape.data;
  const retryAfter = retryAfterOf(error);
  return {
    ...shape,
    message: describeError(error),
    data: { ...data, ...(issues ? { issues } : {}), ...(retryAfter ? { retryAfter } : {}) },
  };
}
