#!/usr/bin/env node
import { Worker } from 'node:worker_threads';
import { parseCli, printableConfig, type ResolvedConfig, type TokenSettings, USAGE } from './cli-args.js';
import type { FromWorker, ServeWorkerData, ToWorker } from './serve-worker.js';
import { ConfigError } from './settings.js';
import { redisAddress } from './storage/redis/address.js';

/**
 * The server runs in a worker thread whose young generation is capped at 6 MiB (2 MiB
 * semi-spaces; V8's default grows them to 16 MiB). A sync server keeps long-lived documents and
 * many sockets: the small young generation halves its memory per idle connection and keeps a busy
 * room's growth near the reference server's, at no measured cost in CPU or latency (see the
 * README's performance section). A V8 flag on the command line would only apply when the file is
 * executed, not to `node dist/cli.js`; a worker's limits apply however the server is started.
 */
const YOUNG_GENERATION_MB = 6;

function fail(message: string, code: number, usage = false): never {
  process.stderr.write(`inkroom-server: ${message}\n${usage ? `\n${USAGE}` : ''}`);
  process.exit(code);
}

/** `inkroom-server token ...`: prints a signed token, alone, on stdout. */
async function printToken(settings: TokenSettings): Promise<void> {
  const [{ dataDirSecret }, { createToken }] = await Promise.all([
    import('./auth/secrets.js'),
    import('./auth/tokens.js'),
  ]);
  const secret = settings.authSecret ?? (await dataDirSecret(settings.dataDir, false));
  if (!secret)
    fail(
      'token: no signing key: give --auth-secret-file, set INKROOM_AUTH_SECRET, or --data of a links server',
      2,
    );
  const { token } = await createToken({
    secret,
    room: settings.room,
    scope: settings.scope,
    ttl: settings.ttlSeconds,
    ...(settings.sub !== undefined ? { sub: settings.sub } : {}),
    ...(settings.name !== undefined ? { name: settings.name } : {}),
  });
  process.stdout.write(`${token}\n`);
}

async function serve(config: ResolvedConfig): Promise<void> {
  const logFormat = config.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json');
  // This thread logs only when something goes wrong; the logger is loaded then.
  const log = async (level: 'warn' | 'error', fields: object, msg: string) => {
    const { createLogger } = await import('./logger.js');
    createLogger(config.logLevel, undefined, logFormat)[level](fields, msg);
  };
  const worker = new Worker(new URL('./serve-worker.js', import.meta.url), {
    workerData: { config, logFormat } satisfies ServeWorkerData,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      void log(
        'warn',
        { signal, note: 'second signal: exiting without waiting for the flush' },
        'server.stopping',
      ).finally(() => process.exit(1));
      return;
    }
    stopping = true;
    worker.postMessage({ type: 'stop', signal } satisfies ToWorker);
  };
  // Before the ready line: a supervisor may signal as soon as it reads it.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (message: FromWorker) => {
      // Only now say we are ready: a supervisor may signal us as soon as it reads this line. On
      // stderr, so stdout holds nothing but log lines (JSON lines a collector can parse whole).
      const rooms = config.redis ? `rooms in ${redisAddress(config.redis)}, ` : '';
      process.stderr.write(`Inkroom listening on ${message.url} (${rooms}data in ${config.dataDir})\n`);
      resolve();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the server thread ended (${code}) before listening`)));
  });
  // An error ends the thread: its exit waits until the error is logged.
  let logged: Promise<void> | null = null;
  worker.on('error', (error) => {
    logged = log('error', { err: error }, 'server.error');
  });
  worker.on('exit', (code) => {
    void (logged ?? Promise.resolve()).finally(() => process.exit(logged ? 1 : code));
  });
}

let parsed: Awaited<ReturnType<typeof parseCli>>;
try {
  parsed = await parseCli(process.argv.slice(2), process.env);
} catch (error) {
  if (error instanceof ConfigError)
    fail(
      error.showUsage ? error.message : `${error.message}\n(inkroom-server --help lists every setting)`,
      2,
      error.showUsage,
    );
  throw error;
}
if (parsed.kind === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (parsed.kind === 'run' && parsed.printConfig) {
  process.stdout.write(printableConfig(parsed.config));
  process.exit(0);
}
try {
  if (parsed.kind === 'token') await printToken(parsed.settings);
  else if (parsed.kind === 'admin') await (await import('./admin-cli.js')).runAdminCommand(parsed.command);
  else await serve(parsed.config);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 2, error.showUsage);
  const what =
    parsed.kind === 'token' ? 'token' : parsed.kind === 'admin' ? parsed.command.command : 'cannot start';
  fail(`${what}: ${(error as Error).message}`, 1);
}
