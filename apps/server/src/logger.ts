import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs (pino) on stderr, so stdout stays free for whatever embeds the server. */
export function createLogger(level: 'debug' | 'info' | 'warn' | 'error' | 'silent'): Logger {
  return pino({ level, base: { service: 'mlapi' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd: 2, sync: false }));
}
