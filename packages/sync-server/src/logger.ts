import { type DestinationStream, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.js';

export type { Logger };

/**
 * Fields that could hold a secret are censored wherever a log call puts them, as a second line of
 * defence: no log call is meant to pass a token, a link key or an admin token at all.
 */
const SECRET_FIELDS = ['token', 'secret', 'key', 'authorization', 'adminToken', 'authSecret'];

/**
 * The server's one structured logger: JSON lines (to stdout unless a destination is given), or
 * `pretty` lines for people, by default when stdout is a terminal. Each line's `msg` is a stable
 * event name (`room.load`, `conn.close`, `auth.denied`...), with `room`, `conn`, `code`, `ms`,
 * `bytes` as they apply.
 */
export function createLogger(
  level: LogLevel | string = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
  format: LogFormat | null = null,
): Logger {
  const pretty_ =
    (format ?? (destination === undefined && process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty';
  const stream = pretty_
    ? pretty({ colorize: process.stdout.isTTY === true, sync: true, destination: 1 })
    : destination;
  return pino(
    {
      level,
      base: { service: 'inkroom' },
      redact: {
        paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`)],
        censor: '[secret]',
      },
    },
    stream,
  );
}
