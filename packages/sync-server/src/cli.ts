#!/usr/bin/env -S node --max-semi-space-size=2
// The flag above caps V8's young generation at 2 MiB semi-spaces (the default grows to 16 MiB).
// A sync server keeps long-lived documents and many idle sockets; the smaller young generation
// halves its memory per idle connection at no measured cost in CPU or latency (see the README's
// performance section). `node dist/cli.js` runs without it; executing the file, as `pnpm start`
// and the installed `inkroom-server` bin do, runs with it.
import { parseCli, USAGE } from './cli-args.js';
import { createLogger } from './logger.js';
import { startInkroomServer } from './server.js';

const parsed = parseCli(process.argv.slice(2), process.env);
if (parsed.kind === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (parsed.kind === 'error') {
  process.stderr.write(`inkroom-server: ${parsed.message}\n\n${USAGE}`);
  process.exit(2);
}

const { host, port, dataDir } = parsed.settings;
const logger = createLogger();
try {
  const server = await startInkroomServer({ host, port, dataDir, logger });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for the flush');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Only now say we are ready: a supervisor may signal us as soon as it reads this line.
  process.stdout.write(`Inkroom listening on ${server.url} (data in ${dataDir})\n`);
} catch (error) {
  process.stderr.write(`inkroom-server: cannot start: ${(error as Error).message}\n`);
  process.exit(1);
}
