import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** The server's one structured logger: JSON lines, to stdout unless a destination is given. */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  return pino({ level, base: { service: 'inkroom' } }, destination);
}
