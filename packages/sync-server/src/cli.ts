#!/usr/bin/env -S node --max-semi-space-size=2
import { runAdminCommand } from './admin-cli.js';
// The flag above caps V8's young generation at 2 MiB semi-spaces (the default grows to 16 MiB).
// A sync server keeps long-lived documents and many idle sockets; the smaller young generation
// halves its memory per idle connection at no measured cost in CPU or latency (see the README's
// performance section). `node dist/cli.js` runs without it; executing the file, as `pnpm start`
// and the installed `inkroom-server` bin do, runs with it.
import { dataDirSecret } from './auth/secrets.js';
import { createToken } from './auth/tokens.js';
import { parseCli, printableConfig, type ResolvedConfig, type TokenSettings, USAGE } from './cli-args.js';
import { createLogger } from './logger.js';
import { startInkroomServer } from './server.js';
import { ConfigError } from './settings.js';

function fail(message: string, code: number, usage = false): never {
  process.stderr.write(`inkroom-server: ${message}\n${usage ? `\n${USAGE}` : ''}`);
  process.exit(code);
}

/** `inkroom-server token ...`: prints a signed token, alone, on stdout. */
async function printToken(settings: TokenSettings): Promise<void> {
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
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  const server = await startInkroomServer({ ...config, logger });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(
        { signal, note: 'second signal: exiting without waiting for the flush' },
        'server.stopping',
      );
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'server.stopping');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'server.error');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Only now say we are ready: a supervisor may signal us as soon as it reads this line. On
  // stderr, so stdout holds nothing but log lines (JSON lines a collector can parse whole).
  process.stderr.write(`Inkroom listening on ${server.url} (data in ${config.dataDir})\n`);
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
  else if (parsed.kind === 'admin') await runAdminCommand(parsed.command);
  else await serve(parsed.config);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 2, error.showUsage);
  const what =
    parsed.kind === 'token' ? 'token' : parsed.kind === 'admin' ? parsed.command.command : 'cannot start';
  fail(`${what}: ${(error as Error).message}`, 1);
}
