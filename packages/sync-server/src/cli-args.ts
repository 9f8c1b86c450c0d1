import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import type { AccessScope } from '@inkroom/shared';
import { ADMIN_COMMANDS, ADMIN_USAGE, type AdminCommand, adminArgs, serverUrlOf } from './admin-cli.js';
import { formatDuration, parseDuration } from './auth/durations.js';
import { DEFAULT_CONFIG, type ServerConfig } from './config.js';
import {
  ConfigError,
  formatDefault,
  parseSetting,
  SETTINGS,
  type Setting,
  type SettingKey,
  type SettingKind,
  secretFileKey,
} from './settings.js';

const PLACEHOLDERS: Partial<Record<SettingKind['type'], string>> = {
  text: '<text>',
  port: '<port>',
  count: '<n>',
  bytes: '<size>',
  seconds: '<duration>',
  millis: '<duration>',
  secret: '<file>',
  url: '<url>',
  retention: '<rules>',
};

function optionLine(setting: Setting): string {
  const kind = setting.kind;
  const value =
    kind.type === 'switch'
      ? ''
      : kind.type === 'choice'
        ? ` ${kind.values.length <= 3 ? kind.values.join('|') : '<level>'}`
        : ` ${setting.key === 'dataDir' ? '<dir>' : setting.key === 'host' ? '<host>' : PLACEHOLDERS[kind.type]}`;
  const left = `  --${setting.flag}${value}`;
  const choices = kind.type === 'choice' && kind.values.length > 3 ? ` (${kind.values.join(', ')})` : '';
  return `${left.padEnd(40)} ${setting.help}${choices}\n${' '.repeat(41)}(env ${setting.env}, default ${formatDefault(setting)})`;
}

function usage(): string {
  const groups = [...new Set(SETTINGS.map((setting) => setting.group))];
  const sections = groups.map(
    (group) =>
      `${group}:\n${SETTINGS.filter((setting) => setting.group === group)
        .map(optionLine)
        .join('\n')}`,
  );
  return `Usage: inkroom-server [options]
       inkroom-server token --room <room> [--scope read|write] [--ttl 1h] [--sub <id>] [--name <name>]
                            [--auth-secret-file <file>] [--data <dir>] [--max-token-ttl <dur>] [--config <file>]
${ADMIN_USAGE.replace('Usage: ', '       ')}
Serves Inkroom: the y-websocket sync endpoint (ws://HOST:PORT/<room>), /healthz,
and the board app, persisting every room in LevelDB.

  --config <file>                          a JSON file of settings, keyed as --print-config prints
                                           them (secrets by file: authSecretFile, adminTokenFile)
  --print-config                           print the effective settings (secrets redacted) and exit
  -h, --help                               show this help

${sections.join('\n\n')}

Precedence, lowest first: defaults, the --config file, the environment, the command line.
A switch (--sync-writes, --trust-proxy) is turned off by --no-<switch>.
Sizes: 65536, 64KiB, 16MiB. Durations: 500ms, 30s, 15m, 1h, 7d. \`token\` signs an access token
with the same key (--auth-secret-file, INKROOM_AUTH_SECRET, or the key --auth links keeps in
--data) and prints it alone.
`;
}

export const USAGE = usage();

/** Settings of the server from every source, secrets read; the static folder is left to the server. */
export type ResolvedConfig = Omit<ServerConfig, 'staticDir'>;

export interface TokenSettings {
  dataDir: string;
  authSecret: string | null;
  maxTokenTtlSeconds: number;
  room: string;
  scope: AccessScope;
  ttlSeconds: number;
  sub?: string;
  name?: string;
}

export type CliResult =
  | { kind: 'run'; config: ResolvedConfig; printConfig: boolean }
  | { kind: 'admin'; command: AdminCommand }
  | { kind: 'token'; settings: TokenSettings }
  | { kind: 'help' };

/** A secret value, or where to read it. */
type Raw = { value: unknown; source: string; file?: boolean };

/** Each setting's flag; a switch also has `--no-<flag>`, so a flag can turn off what a file turned on. */
const flagOptions = (settings: readonly Setting[]) =>
  Object.fromEntries(
    settings.flatMap((setting): [string, { type: 'boolean' | 'string' }][] =>
      setting.kind.type === 'switch'
        ? [
            [setting.flag, { type: 'boolean' }],
            [`no-${setting.flag}`, { type: 'boolean' }],
          ]
        : [[setting.flag, { type: 'string' }]],
    ),
  ) as Record<string, { type: 'boolean' | 'string' }>;

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read --config ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`--config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`--config ${path} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

async function readSecretFile(source: string, path: string): Promise<string> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new ConfigError(
      `cannot read ${source} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  if (text.length === 0) throw new ConfigError(`${source} ${path} is empty`);
  return text;
}

/**
 * Layers the sources for `settings`: defaults, then the config file, the environment and the
 * flags. Values are checked as they are read; an error names the setting and its source.
 */
async function resolve(
  settings: readonly Setting[],
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  file: Record<string, unknown> | null,
  filePath: string | null,
): Promise<Partial<ResolvedConfig>> {
  if (file) {
    const names = new Set<string>(SETTINGS.map((s) => (s.kind.type === 'secret' ? secretFileKey(s) : s.key)));
    for (const key of Object.keys(file)) {
      if (names.has(key)) continue;
      throw new ConfigError(
        SETTINGS.some((s) => s.key === key)
          ? `--config ${filePath}: put the secret ${key} in a file and name it as ${key}File`
          : `--config ${filePath}: unknown setting "${key}"`,
      );
    }
  }
  const config: Partial<Record<SettingKey, unknown>> = {};
  for (const setting of settings) {
    const secret = setting.kind.type === 'secret';
    const fileKey = secret ? secretFileKey(setting) : setting.key;
    const fromFile = file?.[fileKey];
    const candidates: (Raw | null)[] = [
      fromFile !== undefined
        ? {
            // Paths in the file are relative to the file's folder, as a reader of it expects.
            value:
              (secret || setting.key === 'dataDir') && typeof fromFile === 'string'
                ? resolvePath(dirname(filePath!), fromFile)
                : fromFile,
            source: `${fileKey} in ${filePath}`,
            file: secret,
          }
        : null,
      env[setting.env] !== undefined && env[setting.env] !== ''
        ? { value: env[setting.env], source: setting.env }
        : null,
      flags[setting.flag] !== undefined
        ? { value: flags[setting.flag], source: `--${setting.flag}`, file: secret }
        : null,
      flags[`no-${setting.flag}`] === true ? { value: false, source: `--no-${setting.flag}` } : null,
    ];
    const chosen = candidates.filter((raw): raw is Raw => raw !== null).at(-1);
    if (!chosen) continue;
    if (secret) {
      if (typeof chosen.value !== 'string' || chosen.value.length === 0)
        throw new ConfigError(`invalid ${setting.key} (${chosen.source}): expected a file name`);
      config[setting.key] = chosen.file
        ? await readSecretFile(chosen.source, chosen.value)
        : chosen.value.trim();
    } else {
      config[setting.key] = parseSetting(setting, chosen.value, chosen.source);
    }
  }
  return config as Partial<ResolvedConfig>;
}

function checkAdminToken(config: Partial<ResolvedConfig>): void {
  if (config.adminToken && config.adminToken.length < 16)
    throw new ConfigError('the admin token is too short: at least 16 characters');
}

/**
 * Reads the command line, the environment and the config file into what to do. Throws a
 * ConfigError naming the setting at fault.
 */
export async function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  if (argv[0] === 'token') return parseToken(argv.slice(1), env);
  if ((ADMIN_COMMANDS as readonly string[]).includes(argv[0] ?? '')) return parseAdmin(argv, env);
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...flagOptions(SETTINGS),
        config: { type: 'string' },
        'print-config': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message, true);
  }
  if (values.help) return { kind: 'help' };
  const filePath = typeof values.config === 'string' ? values.config : null;
  const file = filePath ? await readConfigFile(filePath) : null;
  const resolved = await resolve(SETTINGS, values, env, file, filePath);
  checkAdminToken(resolved);
  if (
    resolved.adminPort != null &&
    resolved.adminPort !== 0 &&
    resolved.adminPort === (resolved.port ?? DEFAULT_CONFIG.port)
  )
    throw new ConfigError(
      'invalid adminPort: it must differ from port (or leave it unset to serve the admin API on port)',
    );
  if ((resolved.redisReplicas ?? 0) > 0 && !resolved.redis)
    throw new ConfigError(
      'invalid redisReplicas: replicas are waited for only with rooms in Redis (--redis or REDIS_URL)',
    );
  const { staticDir: _, ...defaults } = DEFAULT_CONFIG;
  return { kind: 'run', config: { ...defaults, ...resolved }, printConfig: values['print-config'] === true };
}

/** `rooms ...`, `backup`, `restore`: the command's own arguments, then the server's settings. */
async function parseAdmin(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const [command, ...tail] = argv as [string, ...string[]];
  let split: ReturnType<typeof adminArgs>;
  try {
    split = adminArgs(tail, { ...flagOptions(SETTINGS), config: { type: 'string' } });
  } catch (error) {
    throw new ConfigError(`${command}: ${(error as Error).message}`, true);
  }
  const { positionals, own, rest } = split;
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help' };
  const server = await parseCli(rest, env);
  if (server.kind !== 'run') return server;
  const adminToken = server.config.adminToken;
  if (!adminToken)
    throw new ConfigError(`${command}: the admin token is needed: --admin-token-file or INKROOM_ADMIN_TOKEN`);
  return {
    kind: 'admin',
    command: {
      command,
      args: positionals,
      options: own,
      server: own.server ?? serverUrlOf(server.config),
      adminToken,
    },
  };
}

const TOKEN_SETTINGS = SETTINGS.filter((setting) =>
  (['dataDir', 'authSecret', 'maxTokenTtlSeconds'] as SettingKey[]).includes(setting.key),
);

async function parseToken(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...flagOptions(TOKEN_SETTINGS),
        config: { type: 'string' },
        room: { type: 'string' },
        scope: { type: 'string' },
        ttl: { type: 'string' },
        sub: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`token: ${(error as Error).message}`, true);
  }
  if (values.help) return { kind: 'help' };
  if (typeof values.room !== 'string') throw new ConfigError('token: --room is required', true);
  const scope = values.scope ?? 'write';
  // Loaded here, not on import: the process that parses the command line and starts the server's
  // worker should not hold the board schema and Yjs (about 12 MB).
  const { isAccessScope } = await import('@inkroom/shared');
  if (!isAccessScope(scope))
    throw new ConfigError(`invalid --scope: ${String(scope)} (expected read, write)`);
  const filePath = typeof values.config === 'string' ? values.config : null;
  const file = filePath ? await readConfigFile(filePath) : null;
  // The token command shares a config file with the server; it reads only what it needs.
  const relevant = file
    ? Object.fromEntries(
        Object.entries(file).filter(([key]) =>
          ['dataDir', 'authSecretFile', 'maxTokenTtlSeconds'].includes(key),
        ),
      )
    : null;
  const resolved = await resolve(TOKEN_SETTINGS, values, env, relevant, filePath);
  const maxTokenTtlSeconds = resolved.maxTokenTtlSeconds ?? DEFAULT_CONFIG.maxTokenTtlSeconds;
  const ttlSeconds = values.ttl === undefined ? 3600 : parseDuration(String(values.ttl));
  if (ttlSeconds === null) throw new ConfigError(`invalid --ttl: ${values.ttl} (expected 30s, 15m, 1h, 7d)`);
  if (ttlSeconds > maxTokenTtlSeconds)
    throw new ConfigError(
      `invalid --ttl: ${values.ttl} is longer than --max-token-ttl ${formatDuration(maxTokenTtlSeconds)}`,
    );
  return {
    kind: 'token',
    settings: {
      dataDir: resolved.dataDir ?? DEFAULT_CONFIG.dataDir,
      authSecret: resolved.authSecret ?? null,
      maxTokenTtlSeconds,
      room: values.room,
      scope,
      ttlSeconds,
      ...(typeof values.sub === 'string' ? { sub: values.sub } : {}),
      ...(typeof values.name === 'string' ? { name: values.name } : {}),
    },
  };
}

/** The effective settings as JSON, secrets redacted (`--print-config`). */
export function printableConfig(config: ResolvedConfig): string {
  const shown: Record<string, unknown> = { ...config };
  for (const setting of SETTINGS) {
    if (setting.kind.type === 'secret') shown[setting.key] = config[setting.key] ? '[redacted]' : null;
  }
  return `${JSON.stringify(shown, null, 2)}\n`;
}
