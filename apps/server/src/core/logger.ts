import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'pretty';

/**
 * Logs on stderr, so stdout stays free for whatever embeds the server: JSON lines (pino) for machines, or one
 * readable coloured line per event for a person at a terminal (`LOG_FORMAT`, default: pretty on a TTY).
 */
export function createLogger(level: LogLevel, format: LogFormat = 'json'): Logger {
  const options = { level, base: { name: 'mlapi' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'pretty')
    return pino(
      options,
      pretty({
        destination: 2,
        sync: false,
        colorize: true,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,name',
      }),
    );
  return pino(options, pino.destination({ fd: 2, sync: false }));
}
