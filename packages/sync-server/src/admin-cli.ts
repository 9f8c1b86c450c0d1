import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { ResolvedConfig } from './cli-args.js';
import { ConfigError } from './settings.js';

/*
 * `inkroom-server rooms ls|info|export|import|rm|undelete`, `backup --out FILE`, `restore FILE`: the admin
 * API from the command line, against a running server. The server's address and the admin token
 * come from the same settings as the server's (--config, the environment, the flags), or --server.
 */

export const ADMIN_COMMANDS = ['rooms', 'backup', 'restore'] as const;

export const ADMIN_USAGE = `Usage: inkroom-server rooms ls [--prefix <p>] [--limit <n>]
       inkroom-server rooms info <room>
       inkroom-server rooms export <room> [--format yjs|json] [--out <file>]
       inkroom-server rooms import <room> <file> [--format yjs|json]
       inkroom-server rooms rm <room>
       inkroom-server rooms undelete <room>
       inkroom-server backup --out <file>
       inkroom-server restore <file>

Each talks to a running server: --server <url> (default: its --admin-port, else --host and --port,
from the same flags, variables and --config file as the server), with the admin token from
--admin-token-file or INKROOM_ADMIN_TOKEN.
`;

export interface AdminCommand {
  command: string;
  args: string[];
  options: Record<string, string | undefined>;
  server: string;
  adminToken: string;
}

/** The server URL an admin command talks to, from the server's own settings. */
export function serverUrlOf(config: ResolvedConfig): string {
  const local = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const host = config.adminPort !== null ? local(config.adminHost) : local(config.host);
  const port = config.adminPort ?? config.port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const OWN_OPTIONS = {
  server: { type: 'string' },
  prefix: { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

/**
 * Splits an admin command's own arguments (positionals, --server, --prefix...) from the server's
 * settings (--config, --port, --admin-token-file...), which the caller resolves as the server would.
 */
export function adminArgs(
  argv: readonly string[],
  serverOptions: Record<string, { type: 'boolean' | 'string' }>,
): { positionals: string[]; own: Record<string, string | undefined>; rest: string[] } {
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...serverOptions, ...OWN_OPTIONS, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const own: Record<string, string | undefined> = {};
  const rest: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind === 'positional') positionals.push(token.value);
    else if (token.kind === 'option' && token.name in OWN_OPTIONS) own[token.name] = token.value;
    else if (token.kind === 'option') {
      rest.push(`--${token.name}`);
      if (token.value !== undefined) rest.push(token.value);
    }
  }
  return { positionals, own, rest };
}

async function call(command: AdminCommand, path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${command.server}/api/admin/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${command.adminToken}`, ...(init.headers ?? {}) },
      // A stream body needs the half-duplex mode of Node's fetch.
      ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (error) {
    throw new Error(`cannot reach ${command.server}: ${(error as Error).cause ?? (error as Error).message}`);
  }
  if (!res.ok) {
    const text = await res.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {}
    throw new Error(`${res.status}: ${message}`);
  }
  return res;
}

const out = (text: string) => process.stdout.write(text);
const progress = (text: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}`);
};

function roomArg(command: AdminCommand, index: number, what: string): string {
  const value = command.args[index];
  if (!value) throw new ConfigError(`rooms ${command.args[0] ?? ''}: ${what} is required`, true);
  return encodeURIComponent(value);
}

function formatOf(command: AdminCommand): 'yjs' | 'json' {
  const format = command.options.format ?? 'yjs';
  if (format !== 'yjs' && format !== 'json')
    throw new ConfigError(`invalid --format: ${format} (expected yjs, json)`);
  return format;
}

/** Runs an admin command; resolves with the process exit code. */
export async function runAdminCommand(command: AdminCommand): Promise<void> {
  const [verb] = command.args;
  if (command.command === 'backup') return backup(command);
  if (command.command === 'restore') return restore(command);
  switch (verb) {
    case 'ls':
      return list(command);
    case 'info': {
      const res = await call(command, `rooms/${roomArg(command, 1, 'a room')}`);
      return void out(`${JSON.stringify(await res.json(), null, 2)}\n`);
    }
    case 'export': {
      const res = await call(
        command,
        `rooms/${roomArg(command, 1, 'a room')}/export?format=${formatOf(command)}`,
      );
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (command.options.out) {
        await writeFile(command.options.out, bytes);
        return void process.stderr.write(`exported ${bytes.length} bytes to ${command.options.out}\n`);
      }
      return void process.stdout.write(bytes);
    }
    case 'import': {
      const file = command.args[2];
      if (!file) throw new ConfigError('rooms import: a file is required', true);
      const body = await readFile(file);
      const res = await call(
        command,
        `rooms/${roomArg(command, 1, 'a room')}/import?format=${formatOf(command)}`,
        {
          method: 'POST',
          body,
        },
      );
      return void out(`${JSON.stringify(await res.json())}\n`);
    }
    case 'undelete': {
      const res = await call(command, `rooms/${roomArg(command, 1, 'a room')}/undelete`, { method: 'POST' });
      return void out(`${JSON.stringify(await res.json())}\n`);
    }
    case 'rm': {
      const res = await call(command, `rooms/${roomArg(command, 1, 'a room')}`, { method: 'DELETE' });
      return void out(`${JSON.stringify(await res.json())}\n`);
    }
    default:
      throw new ConfigError(
        `rooms: unknown command ${verb ?? '(none)'} (ls, info, export, import, rm, undelete)`,
        true,
      );
  }
}

async function list(command: AdminCommand): Promise<void> {
  const limit = command.options.limit ? Number(command.options.limit) : Number.POSITIVE_INFINITY;
  if (!(limit > 0)) throw new ConfigError(`invalid --limit: ${command.options.limit}`);
  const prefix = encodeURIComponent(command.options.prefix ?? '');
  let shown = 0;
  for (let cursor: string | null = '', first = true; first || cursor; first = false) {
    const page = Math.min(1000, limit - shown);
    const res = await call(
      command,
      `rooms?prefix=${prefix}&limit=${page}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    const body = (await res.json()) as {
      rooms: { name: string; bytes: number; updatedAt: number | null; connections: number }[];
      cursor: string | null;
    };
    // The header once the server has answered: a failed listing prints nothing on stdout.
    if (first) out('name\tbytes\tupdated\tconnections\n');
    for (const room of body.rooms) {
      const updated = room.updatedAt === null ? '-' : new Date(room.updatedAt).toISOString();
      out(`${room.name}\t${room.bytes}\t${updated}\t${room.connections}\n`);
    }
    shown += body.rooms.length;
    cursor = shown < limit ? body.cursor : null;
  }
}

async function backup(command: AdminCommand): Promise<void> {
  const file = command.options.out;
  if (!file) throw new ConfigError('backup: --out <file> is required', true);
  const started = performance.now();
  const res = await call(command, 'backup');
  let rooms = 0;
  let bytes = 0;
  let partial = '';
  let end = false;
  // Counts room lines as they pass, for a progress line, and checks the backup ends whole.
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('{"type":"room"')) rooms++;
        else if (line.startsWith('{"type":"end"')) end = true;
      }
      progress(`backup: ${rooms} rooms, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
      done(null, chunk);
    },
  });
  // Into a file beside the target, renamed once whole: a cut backup never replaces a good one.
  const partialFile = `${file}.partial`;
  await pipeline(Readable.fromWeb(res.body as never), counter, createWriteStream(partialFile));
  if (!end) {
    await rm(partialFile, { force: true });
    throw new Error(`the backup was cut short: the server stopped before its end (${file} is unchanged)`);
  }
  await rename(partialFile, file);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stderr.write(
    `${process.stderr.isTTY ? '\n' : ''}backed up ${rooms} rooms (${bytes} bytes) to ${file} in ${seconds} s\n`,
  );
}

async function restore(command: AdminCommand): Promise<void> {
  const file = command.args[0];
  if (!file) throw new ConfigError('restore: a backup file is required', true);
  const size = (await stat(file)).size;
  let sent = 0;
  const source = createReadStream(file).on('data', (chunk) => {
    sent += chunk.length;
    progress(`restore: ${Math.round((sent / Math.max(size, 1)) * 100)} % sent`);
  });
  const res = await call(command, 'restore', {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: Readable.toWeb(source) as ReadableStream,
  });
  const result = (await res.json()) as { rooms: number; records: number; ms: number };
  process.stderr.write(
    `${process.stderr.isTTY ? '\n' : ''}restored ${result.rooms} rooms and ${result.records} link and revocation records in ${(result.ms / 1000).toFixed(2)} s\n`,
  );
}
