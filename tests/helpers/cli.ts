import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noteOutput, noteSecret } from './secret-scan.js';

/** The built CLI, as users run it: `node packages/sync-server/dist/cli.js`. */
export const CLI_PATH = fileURLToPath(new URL('../../packages/sync-server/dist/cli.js', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the `http://host:port` the server printed once it accepts connections. */
  url: Promise<string>;
}

/** Runs the built `inkroom-server` in a child process. */
export function runCli(args: string[], env: Record<string, string> = {}): CliProcess {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run the build first (pnpm build)`);
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  noteSecret(env.INKROOM_AUTH_SECRET);
  noteSecret(env.INKROOM_ADMIN_TOKEN);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      // A token command prints its token on stdout, as it should; everything else is checked.
      if (args[0] !== 'token') noteOutput(out);
      noteOutput(err);
      resolve({ code, signal });
    });
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  // The server says it is ready on stderr: "Inkroom listening on http://HOST:PORT ...".
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /listening on (http:\/\/\S+:\d+)/.exec(err);
      if (match) resolve(match[1]!);
    });
    exited.then(() => reject(new Error(`server exited before listening: ${err}`)));
  });
  url.catch(() => {});
  return { child, stdout: () => out, stderr: () => err, exited, url };
}
