import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedConfig } from './cli-args.js';
import type { LogFormat } from './config.js';
import { createLogger } from './logger.js';
import { startInkroomServer } from './server.js';

/** What `cli.ts` hands the worker the server runs in. */
export interface ServeWorkerData {
  config: ResolvedConfig;
  /** The log format, decided where the terminal is known. */
  logFormat: LogFormat;
}

/** Messages between `cli.ts` and the worker. */
export type ToWorker = { type: 'stop'; signal: NodeJS.Signals };
export type FromWorker = { type: 'ready'; url: string };

// The server itself, in the worker `cli.ts` starts (see there why). Its exit code is the process's.
const { config, logFormat } = workerData as ServeWorkerData;
const logger = createLogger(config.logLevel, undefined, logFormat);
const server = await startInkroomServer({ ...config, logger });
parentPort!.on('message', (message: ToWorker) => {
  if (message.type !== 'stop') return;
  logger.info({ signal: message.signal }, 'server.stopping');
  // Exit once the log lines are written: a worker's exit does not wait for them.
  const exit = (code: number) => logger.flush(() => process.exit(code));
  server.close().then(
    () => exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'server.error');
      exit(1);
    },
  );
});
parentPort!.postMessage({ type: 'ready', url: server.url } satisfies FromWorker);
