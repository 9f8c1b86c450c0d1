import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type AccessScope, isAccessScope } from '@inkroom/shared';
import { formatDuration, parseDuration } from './auth/durations.js';
import { AUTH_MODES, type AuthMode, DEFAULT_CONFIG, type RoomCreators } from './config.js';

export const USAGE = `Usage: inkroom-server [options]
       inkroom-server token --room <room> [--scope read|write] [--ttl 1h] [--sub <id>] [--name <name>]
                            [--auth-secret-file <file>] [--data <dir>] [--max-token-ttl <dur>]

Serves Inkroom: the y-websocket sync endpoint (ws://HOST:PORT/<room>), /healthz,
and the board app, persisting every room in LevelDB.

Options:
  --host <host>              interface to listen on     (env HOST, default ${DEFAULT_CONFIG.host})
  --port <port>              TCP port, 0 picks a free one (env PORT, default ${DEFAULT_CONFIG.port})
  --data <dir>               LevelDB data folder        (env DATA_DIR, default ${DEFAULT_CONFIG.dataDir})
  --auth off|links|tokens    access control             (env INKROOM_AUTH, default ${DEFAULT_CONFIG.auth})
                               links: share links made in the app; tokens: tokens your app signs
  --auth-secret-file <file>  token signing key(s)       (env INKROOM_AUTH_SECRET holds the key itself)
  --admin-token-file <file>  admin API bearer token     (env INKROOM_ADMIN_TOKEN holds the token itself)
  --max-token-ttl <dur>      longest token lifetime     (env INKROOM_MAX_TOKEN_TTL, default ${formatDuration(DEFAULT_CONFIG.maxTokenTtlSeconds)})
  --clock-skew <dur>         issuer clock tolerance     (env INKROOM_CLOCK_SKEW, default ${formatDuration(DEFAULT_CONFIG.clockSkewSeconds)})
  --create-rooms anyone|admin  who creates rooms (links) (env INKROOM_CREATE_ROOMS, default ${DEFAULT_CONFIG.createRooms})
  -h, --help                 show this help

Durations: 30s, 15m, 1h, 7d. \`token\` signs an access token with the same key (the same
--auth-secret-file, INKROOM_AUTH_SECRET, or the key --auth links keeps in --data) and prints it.

Environment: LOG_LEVEL (trace, debug, info, warn, error, silent; default info).
`;

export interface CliSettings {
  host: string;
  port: number;
  dataDir: string;
  auth: AuthMode;
  /** Where the signing key comes from, resolved by {@link readSecrets}. */
  authSecretFile: string | null;
  adminTokenFile: string | null;
  maxTokenTtlSeconds: number;
  clockSkewSeconds: number;
  createRooms: RoomCreators;
}

export interface TokenSettings {
  dataDir: string;
  authSecretFile: string | null;
  maxTokenTtlSeconds: number;
  room: string;
  scope: AccessScope;
  ttlSeconds: number;
  sub?: string;
  name?: string;
}

export type CliResult =
  | { kind: 'run'; settings: CliSettings }
  | { kind: 'token'; settings: TokenSettings }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

class CliError extends Error {}

function parsePort(value: string): number | null {
  if (!/^\d{1,5}$/.test(value)) return null;
  const port = Number(value);
  return port <= 65535 ? port : null;
}

function duration(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined) return fallback;
  if (allowZero && text.trim() === '0') return 0;
  const seconds = parseDuration(text);
  if (seconds === null)
    throw new CliError(`invalid ${name}: ${text} (expected a duration like 30s, 15m, 1h, 7d)`);
  return seconds;
}

function oneOf<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text))
    throw new CliError(`invalid ${name}: ${text} (expected ${allowed.join(', ')})`);
  return text as T;
}

const SHARED_OPTIONS = {
  data: { type: 'string' },
  'auth-secret-file': { type: 'string' },
  'max-token-ttl': { type: 'string' },
} as const;

/** Reads flags, falling back to the environment, then to the defaults. Flags win. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliResult {
  try {
    if (argv[0] === 'token') return parseToken(argv.slice(1), env);
    return parseRun(argv, env);
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}

function parseRun(argv: readonly string[], env: NodeJS.ProcessEnv): CliResult {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...SHARED_OPTIONS,
      host: { type: 'string' },
      port: { type: 'string' },
      auth: { type: 'string' },
      'admin-token-file': { type: 'string' },
      'clock-skew': { type: 'string' },
      'create-rooms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { kind: 'help' };
  const host = values.host ?? env.HOST ?? DEFAULT_CONFIG.host;
  const portText = values.port ?? env.PORT ?? String(DEFAULT_CONFIG.port);
  const dataDir = values.data ?? env.DATA_DIR ?? DEFAULT_CONFIG.dataDir;
  const port = parsePort(portText);
  if (port === null) throw new CliError(`invalid port: ${portText} (expected 0-65535)`);
  if (host.length === 0) throw new CliError('invalid host: empty');
  if (dataDir.length === 0) throw new CliError('invalid data folder: empty');
  const settings: CliSettings = {
    host,
    port,
    dataDir,
    auth: oneOf('--auth', values.auth ?? env.INKROOM_AUTH ?? DEFAULT_CONFIG.auth, AUTH_MODES),
    authSecretFile: values['auth-secret-file'] ?? null,
    adminTokenFile: values['admin-token-file'] ?? null,
    maxTokenTtlSeconds: duration(
      '--max-token-ttl',
      values['max-token-ttl'] ?? env.INKROOM_MAX_TOKEN_TTL,
      DEFAULT_CONFIG.maxTokenTtlSeconds,
    ),
    clockSkewSeconds: duration(
      '--clock-skew',
      values['clock-skew'] ?? env.INKROOM_CLOCK_SKEW,
      DEFAULT_CONFIG.clockSkewSeconds,
      true,
    ),
    createRooms: oneOf(
      '--create-rooms',
      values['create-rooms'] ?? env.INKROOM_CREATE_ROOMS ?? DEFAULT_CONFIG.createRooms,
      ['anyone', 'admin'] as const,
    ),
  };
  return { kind: 'run', settings };
}

function parseToken(argv: readonly string[], env: NodeJS.ProcessEnv): CliResult {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...SHARED_OPTIONS,
      room: { type: 'string' },
      scope: { type: 'string' },
      ttl: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { kind: 'help' };
  if (!values.room) throw new CliError('token: --room is required');
  const scope = values.scope ?? 'write';
  if (!isAccessScope(scope)) throw new CliError(`invalid --scope: ${scope} (expected read, write)`);
  const maxTokenTtlSeconds = duration(
    '--max-token-ttl',
    values['max-token-ttl'] ?? env.INKROOM_MAX_TOKEN_TTL,
    DEFAULT_CONFIG.maxTokenTtlSeconds,
  );
  const ttlSeconds = duration('--ttl', values.ttl, 3600);
  if (ttlSeconds > maxTokenTtlSeconds)
    throw new CliError(
      `invalid --ttl: ${values.ttl} is longer than --max-token-ttl ${formatDuration(maxTokenTtlSeconds)}`,
    );
  return {
    kind: 'token',
    settings: {
      dataDir: values.data ?? env.DATA_DIR ?? DEFAULT_CONFIG.dataDir,
      authSecretFile: values['auth-secret-file'] ?? null,
      maxTokenTtlSeconds,
      room: values.room,
      scope,
      ttlSeconds,
      ...(values.sub !== undefined ? { sub: values.sub } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
    },
  };
}

async function readSecretFile(flag: string, path: string): Promise<string> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new CliError(`cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (text.length === 0) throw new CliError(`${flag} ${path} is empty`);
  return text;
}

/**
 * The secrets themselves, from their files (flags) or the environment. Files win. Errors name
 * the flag or variable, never the secret.
 */
export async function readSecrets(
  settings: { authSecretFile: string | null; adminTokenFile?: string | null },
  env: NodeJS.ProcessEnv,
): Promise<{ authSecret: string | null; adminToken: string | null }> {
  const authSecret = settings.authSecretFile
    ? await readSecretFile('--auth-secret-file', settings.authSecretFile)
    : env.INKROOM_AUTH_SECRET?.trim() || null;
  const adminToken = settings.adminTokenFile
    ? await readSecretFile('--admin-token-file', settings.adminTokenFile)
    : env.INKROOM_ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < 16)
    throw new CliError('the admin token is too short: at least 16 characters');
  return { authSecret, adminToken };
}
