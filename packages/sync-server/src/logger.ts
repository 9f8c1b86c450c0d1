import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Fields that could hold a secret are censored wherever a log call puts them, as a second line of
 * defence: no log call is meant to pass a token, a link key or an admin token at all.
 */
const SECRET_FIELDS = ['token', 'secret', 'key', 'authorization', 'adminToken', 'authSecret'];

/** The server's one structured logger: JSON lines, to stdout unless a destination is given. */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service: 'inkroom' },
      redact: {
        paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`)],
        censor: '[secret]',
      },
    },
    destination,
  );
}
