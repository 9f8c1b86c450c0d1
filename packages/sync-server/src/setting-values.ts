import { formatDuration, parseDuration } from './auth/durations.js';
import { DEFAULT_CONFIG } from './config.js';
import { parseRetention } from './core/retention.js';
import type { Setting, SettingKind } from './settings.js';

/*
 * Reading and showing settings' values by their kind: sizes with units, durations, choices,
 * switches. Errors name the setting and where its value came from.
 */

/** A setting given a value it cannot take; the message names the setting and where it came from. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    /** The command line itself is malformed (unknown flag, missing value): show the usage. */
    readonly showUsage = false,
  ) {
    super(message);
  }
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** `65536`, `64KiB`, `16 MiB`, `1GB`: a whole number of bytes, or null. */
export function parseBytes(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? BYTE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) return null;
  const bytes = Number(match[1]) * unit;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}

export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** `500ms`, `30s`, `2m` or a bare number of milliseconds. */
function parseMillis(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+ms$/.test(trimmed)) return Number(trimmed.slice(0, -2));
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const seconds = parseDuration(trimmed);
  return seconds === null ? null : seconds * 1000;
}

function describe(kind: SettingKind): string {
  switch (kind.type) {
    case 'port':
      return 'a port from 0 to 65535';
    case 'count':
      return `a whole number from ${kind.min}`;
    case 'bytes':
      return 'a size such as 65536, 64KiB or 16MiB';
    case 'seconds':
      return 'a duration such as 30s, 15m, 1h or 7d';
    case 'millis':
      return `a duration such as 500ms, 30s or 2m${kind.min ? ` (at least ${kind.min} ms)` : ''}`;
    case 'choice':
      return `one of ${kind.values.join(', ')}`;
    case 'switch':
      return 'true or false';
    case 'url':
      return `a URL starting with ${kind.schemes.map((scheme) => `${scheme}//`).join(' or ')}`;
    case 'retention':
      return 'rules such as 1d:all,7d:1h,90d:1d (<age>:<all or interval>, ages rising)';
    default:
      return 'a non-empty text';
  }
}

/** Reads one value (text from a flag or variable, or any JSON value from the file). */
export function parseSetting(setting: Setting, raw: unknown, source: string): unknown {
  const fail = (): never => {
    const shown = setting.kind.type === 'secret' ? '' : `: ${JSON.stringify(raw)}`;
    throw new ConfigError(`invalid ${setting.key} (${source})${shown}; expected ${describe(setting.kind)}`);
  };
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : null;
  const kind = setting.kind;
  switch (kind.type) {
    case 'switch':
      if (typeof raw === 'boolean') return raw;
      if (text !== null && /^(true|1|yes|on)$/i.test(text)) return true;
      if (text !== null && /^(false|0|no|off)$/i.test(text)) return false;
      return fail();
    case 'port': {
      if (kind.optional && (raw === null || text === 'none')) return null;
      if (text === null || !/^\d{1,5}$/.test(text) || Number(text) > 65535) return fail();
      return Number(text);
    }
    case 'count': {
      if (
        text === null ||
        !/^\d+$/.test(text) ||
        Number(text) < kind.min ||
        !Number.isSafeInteger(Number(text))
      )
        return fail();
      return Number(text);
    }
    case 'bytes':
      return (text !== null && parseBytes(text)) || fail();
    case 'seconds':
      if (kind.allowZero && text?.trim() === '0') return 0;
      return (text !== null && parseDuration(text)) || fail();
    case 'millis': {
      if (kind.allowZero && text?.trim() === '0') return 0;
      const ms = (text !== null && parseMillis(text)) || fail();
      return ms < (kind.min ?? 0) ? fail() : ms;
    }
    case 'choice':
      if (kind.optional && (raw === null || text === 'auto')) return null;
      if (text === null || !kind.values.includes(text)) return fail();
      return text;
    case 'url': {
      if (raw === null || text === 'none') return null;
      let url: URL | null = null;
      try {
        url = text === null ? null : new URL(text);
      } catch {
        return fail();
      }
      return url && kind.schemes.includes(url.protocol) ? text : fail();
    }
    case 'retention':
      try {
        if (text === null) return fail();
        parseRetention(text);
        return text;
      } catch (error) {
        if (error instanceof ConfigError) throw error;
        throw new ConfigError(
          `invalid ${setting.key} (${source}): ${JSON.stringify(raw)}: ${(error as Error).message}; expected ${describe(kind)}`,
        );
      }
    default:
      if (text === null || text.trim().length === 0) return fail();
      return text;
  }
}

/** The default as --help shows it. */
export function formatDefault(setting: Setting): string {
  const value = DEFAULT_CONFIG[setting.key];
  switch (setting.kind.type) {
    case 'bytes':
      return formatBytes(value as number);
    case 'seconds':
      return value === 0 ? '0' : formatDuration(value as number);
    case 'millis':
      if (value === 0) return '0';
      return (value as number) % 1000 === 0 ? formatDuration((value as number) / 1000) : `${value}ms`;
    case 'secret':
      return 'none';
    case 'port':
    case 'url':
      return value === null ? 'none' : String(value);
    case 'choice':
      return value === null ? 'auto' : String(value);
    default:
      return String(value);
  }
}

/** The name a secret's file has in the config file: `authSecretFile`, `adminTokenFile`. */
export function secretFileKey(setting: Setting): string {
  return `${setting.key}File`;
}
