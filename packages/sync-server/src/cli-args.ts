import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from './config.js';

export const USAGE = `Usage: inkroom-server [options]

Serves Inkroom: the y-websocket sync endpoint (ws://HOST:PORT/<room>), /healthz,
and the board app, persisting every room in LevelDB.

Options:
  --host <host>   interface to listen on          (env HOST, default ${DEFAULT_CONFIG.host})
  --port <port>   TCP port, 0 picks a free one     (env PORT, default ${DEFAULT_CONFIG.port})
  --data <dir>    LevelDB data folder              (env DATA_DIR, default ${DEFAULT_CONFIG.dataDir})
  -h, --help      show this help

Environment: LOG_LEVEL (trace, debug, info, warn, error, silent; default info).
`;

export interface CliSettings {
  host: string;
  port: number;
  dataDir: string;
}

export type CliResult =
  | { kind: 'run'; settings: CliSettings }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

function parsePort(value: string): number | null {
  if (!/^\d{1,5}$/.test(value)) return null;
  const port = Number(value);
  return port <= 65535 ? port : null;
}

/** Reads flags, falling back to the environment, then to the defaults. Flags win. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliResult {
  let values: { host?: string; port?: string; data?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };
  const host = values.host ?? env.HOST ?? DEFAULT_CONFIG.host;
  const portText = values.port ?? env.PORT ?? String(DEFAULT_CONFIG.port);
  const dataDir = values.data ?? env.DATA_DIR ?? DEFAULT_CONFIG.dataDir;
  const port = parsePort(portText);
  if (port === null) return { kind: 'error', message: `invalid port: ${portText} (expected 0-65535)` };
  if (host.length === 0) return { kind: 'error', message: 'invalid host: empty' };
  if (dataDir.length === 0) return { kind: 'error', message: 'invalid data folder: empty' };
  return { kind: 'run', settings: { host, port, dataDir } };
}
