import { AUTH_MODES, LOG_LEVELS, type ServerConfig } from './config.js';

/*
 * Every setting of `inkroom-server` in one table: its config-file key, flag, environment
 * variable, kind and help. The CLI's parser, its --help and --print-config are made from it, so
 * a setting added to ServerConfig and here is everywhere at once.
 *
 * Precedence, lowest first: built-in defaults, the config file (--config), the environment,
 * the command line.
 */

export type SettingKey = Exclude<keyof ServerConfig, 'staticDir'>;

export type SettingKind =
  | { type: 'text' }
  | { type: 'port'; optional?: boolean }
  | { type: 'count'; min: number }
  | { type: 'bytes' }
  | { type: 'seconds'; allowZero?: boolean }
  | { type: 'millis'; allowZero?: boolean; min?: number }
  | { type: 'choice'; values: readonly string[]; optional?: boolean }
  | { type: 'switch' }
  /** A URL with one of these schemes, or none (null). */
  | { type: 'url'; schemes: readonly string[] }
  /** A secret: the flag and the file's `<key>File` name a file holding it; the variable holds it. */
  | { type: 'secret' }
  /** A version retention policy, `1d:all,7d:1h,90d:1d` (see core/retention.ts). */
  | { type: 'retention' };

export interface Setting {
  key: SettingKey;
  flag: string;
  env: string;
  kind: SettingKind;
  help: string;
  group: string;
}

const env = (name: string) => `INKROOM_${name}`;

export const SETTINGS: readonly Setting[] = [
  {
    key: 'host',
    flag: 'host',
    env: 'HOST',
    kind: { type: 'text' },
    help: 'interface to listen on',
    group: 'Server',
  },
  {
    key: 'port',
    flag: 'port',
    env: 'PORT',
    kind: { type: 'port' },
    help: 'TCP port, 0 picks a free one',
    group: 'Server',
  },
  {
    key: 'dataDir',
    flag: 'data',
    env: 'DATA_DIR',
    kind: { type: 'text' },
    help: 'LevelDB data folder',
    group: 'Server',
  },
  {
    key: 'redis',
    flag: 'redis',
    env: 'REDIS_URL',
    kind: { type: 'url', schemes: ['redis:', 'rediss:'] },
    help: 'keep rooms in this Redis (redis://host:port) instead of LevelDB',
    group: 'Server',
  },
  {
    key: 'redisDurability',
    flag: 'redis-durability',
    env: env('REDIS_DURABILITY'),
    kind: { type: 'choice', values: ['strict', 'relaxed'] },
    help: 'strict: refuse a Redis that could lose acknowledged writes; relaxed: warn and go on',
    group: 'Server',
  },
  {
    key: 'redisReplicas',
    flag: 'redis-replicas',
    env: env('REDIS_REPLICAS'),
    kind: { type: 'count', min: 0 },
    help: 'relay an update only once this many Redis replicas have it on disk (WAITAOF, Redis 7.2+)',
    group: 'Server',
  },
  {
    key: 'redisTimeoutMs',
    flag: 'redis-timeout',
    env: env('REDIS_TIMEOUT'),
    kind: { type: 'millis', min: 100 },
    help: 'a Redis command not answered by then fails: rooms close with 4500, /readyz answers 503',
    group: 'Server',
  },
  {
    key: 'syncWrites',
    flag: 'sync-writes',
    env: env('SYNC_WRITES'),
    kind: { type: 'switch' },
    help: 'fsync every write (survives power loss, costs latency)',
    group: 'Server',
  },
  {
    key: 'closeGraceMs',
    flag: 'close-grace',
    env: env('CLOSE_GRACE'),
    kind: { type: 'millis' },
    help: 'time sockets get to close on shutdown',
    group: 'Server',
  },
  {
    key: 'drainMs',
    flag: 'drain',
    env: env('DRAIN'),
    kind: { type: 'millis', allowZero: true },
    help: 'on SIGTERM, /readyz is 503 this long before sockets close',
    group: 'Server',
  },
  {
    key: 'adminPort',
    flag: 'admin-port',
    env: env('ADMIN_PORT'),
    kind: { type: 'port', optional: true },
    help: 'a port of its own for the admin API and /metrics (default: the main port)',
    group: 'Server',
  },
  {
    key: 'adminHost',
    flag: 'admin-host',
    env: env('ADMIN_HOST'),
    kind: { type: 'text' },
    help: 'interface of the admin port',
    group: 'Server',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'LOG_LEVEL',
    kind: { type: 'choice', values: LOG_LEVELS },
    help: 'log level',
    group: 'Logs',
  },
  {
    key: 'logFormat',
    flag: 'log-format',
    env: env('LOG_FORMAT'),
    kind: { type: 'choice', values: ['json', 'pretty'], optional: true },
    help: 'json lines, or pretty (default: pretty on a terminal)',
    group: 'Logs',
  },
  {
    key: 'auth',
    flag: 'auth',
    env: env('AUTH'),
    kind: { type: 'choice', values: AUTH_MODES },
    help: 'access control: off, links (share links), tokens (your app signs)',
    group: 'Access',
  },
  {
    key: 'authSecret',
    flag: 'auth-secret-file',
    env: env('AUTH_SECRET'),
    kind: { type: 'secret' },
    help: 'token signing key(s); the variable holds the key itself',
    group: 'Access',
  },
  {
    key: 'adminToken',
    flag: 'admin-token-file',
    env: env('ADMIN_TOKEN'),
    kind: { type: 'secret' },
    help: 'admin API bearer token; the variable holds the token itself',
    group: 'Access',
  },
  {
    key: 'maxTokenTtlSeconds',
    flag: 'max-token-ttl',
    env: env('MAX_TOKEN_TTL'),
    kind: { type: 'seconds' },
    help: 'longest token lifetime accepted',
    group: 'Access',
  },
  {
    key: 'clockSkewSeconds',
    flag: 'clock-skew',
    env: env('CLOCK_SKEW'),
    kind: { type: 'seconds', allowZero: true },
    help: "tolerance for an issuer's clock (nbf, iat)",
    group: 'Access',
  },
  {
    key: 'linkTokenTtlSeconds',
    flag: 'link-token-ttl',
    env: env('LINK_TOKEN_TTL'),
    kind: { type: 'seconds' },
    help: 'lifetime of the tokens share links give',
    group: 'Access',
  },
  {
    key: 'maxTokenBytes',
    flag: 'max-token-bytes',
    env: env('MAX_TOKEN_BYTES'),
    kind: { type: 'bytes' },
    help: 'longest token accepted',
    group: 'Access',
  },
  {
    key: 'createRooms',
    flag: 'create-rooms',
    env: env('CREATE_ROOMS'),
    kind: { type: 'choice', values: ['anyone', 'admin'] },
    help: 'who creates rooms in links mode',
    group: 'Access',
  },
  {
    key: 'newRoomsPerMinute',
    flag: 'new-rooms-per-minute',
    env: env('NEW_ROOMS_PER_MINUTE'),
    kind: { type: 'count', min: 1 },
    help: 'new rooms one address may make a minute (429 or 4508 beyond)',
    group: 'Limits',
  },
  {
    key: 'maxConnectionsPerIp',
    flag: 'max-connections-per-ip',
    env: env('MAX_CONNECTIONS_PER_IP'),
    kind: { type: 'count', min: 1 },
    help: 'connections one address may hold (4508 beyond)',
    group: 'Limits',
  },
  {
    key: 'updatesPerSecond',
    flag: 'updates-per-second',
    env: env('UPDATES_PER_SECOND'),
    kind: { type: 'count', min: 1 },
    help: 'updates one socket may send a second (burst 2x; faster ones wait)',
    group: 'Limits',
  },
  {
    key: 'updateBytesPerSecond',
    flag: 'update-bytes-per-second',
    env: env('UPDATE_BYTES_PER_SECOND'),
    kind: { type: 'bytes' },
    help: 'bytes of updates one socket may send a second',
    group: 'Limits',
  },
  {
    key: 'awarenessPerSecond',
    flag: 'awareness-per-second',
    env: env('AWARENESS_PER_SECOND'),
    kind: { type: 'count', min: 1 },
    help: 'presence messages of one socket relayed a second (faster ones merge)',
    group: 'Limits',
  },
  {
    key: 'roomAwarenessPerSecond',
    flag: 'room-awareness-per-second',
    env: env('ROOM_AWARENESS_PER_SECOND'),
    kind: { type: 'count', min: 1 },
    help: 'presence messages a room relays a second, all sockets together (more merge)',
    group: 'Limits',
  },
  {
    key: 'trustProxy',
    flag: 'trust-proxy',
    env: env('TRUST_PROXY'),
    kind: { type: 'switch' },
    help: 'take the client address from X-Forwarded-For (only behind a proxy that sets it)',
    group: 'Server',
  },
  {
    key: 'maxMessageBytes',
    flag: 'max-message-bytes',
    env: env('MAX_MESSAGE_BYTES'),
    kind: { type: 'bytes' },
    help: 'largest WebSocket frame (1009 beyond)',
    group: 'Limits',
  },
  {
    key: 'maxImageBytes',
    flag: 'max-image-bytes',
    env: env('MAX_IMAGE_BYTES'),
    kind: { type: 'bytes' },
    help: 'largest image a board may add (413 beyond; the board downscales larger ones first)',
    group: 'Limits',
  },
  {
    key: 'maxRoomImageBytes',
    flag: 'max-room-image-bytes',
    env: env('MAX_ROOM_IMAGE_BYTES'),
    kind: { type: 'bytes' },
    help: 'bytes of images one room may hold, each counted once (413 beyond)',
    group: 'Limits',
  },
  {
    key: 'maxAwarenessBytes',
    flag: 'max-awareness-bytes',
    env: env('MAX_AWARENESS_BYTES'),
    kind: { type: 'bytes' },
    help: 'largest awareness update (4413 beyond)',
    group: 'Limits',
  },
  {
    key: 'maxAwarenessClientsPerConnection',
    flag: 'max-awareness-clients',
    env: env('MAX_AWARENESS_CLIENTS'),
    kind: { type: 'count', min: 1 },
    help: 'awareness client ids one socket may speak for',
    group: 'Limits',
  },
  {
    key: 'maxPendingUpdateBytes',
    flag: 'max-pending-update-bytes',
    env: env('MAX_PENDING_UPDATE_BYTES'),
    kind: { type: 'bytes' },
    help: 'updates waiting for dependencies per room (4529 beyond)',
    group: 'Limits',
  },
  {
    key: 'maxUpdateStructs',
    flag: 'max-update-structs',
    env: env('MAX_UPDATE_STRUCTS'),
    kind: { type: 'count', min: 1 },
    help: 'structs one update may carry (4414 beyond)',
    group: 'Limits',
  },
  {
    key: 'maxUpdateClients',
    flag: 'max-update-clients',
    env: env('MAX_UPDATE_CLIENTS'),
    kind: { type: 'count', min: 1 },
    help: 'client ids one update may carry (4414 beyond)',
    group: 'Limits',
  },
  {
    key: 'maxUpdateDeleteRanges',
    flag: 'max-update-delete-ranges',
    env: env('MAX_UPDATE_DELETE_RANGES'),
    kind: { type: 'count', min: 1 },
    help: 'delete ranges one update may carry (4414 beyond)',
    group: 'Limits',
  },
  {
    key: 'integrateSliceMs',
    flag: 'integrate-slice',
    env: env('INTEGRATE_SLICE'),
    kind: { type: 'millis', min: 1 },
    help: 'time one piece of update integration aims at, before others get a turn',
    group: 'Limits',
  },
  {
    key: 'integrateMsPerSecond',
    flag: 'integrate-ms-per-second',
    env: env('INTEGRATE_MS_PER_SECOND'),
    kind: { type: 'count', min: 1 },
    help: "ms a second a socket's updates may take to integrate (4414 beyond)",
    group: 'Limits',
  },
  {
    key: 'maxBufferedBytes',
    flag: 'max-buffered-bytes',
    env: env('MAX_BUFFERED_BYTES'),
    kind: { type: 'bytes' },
    help: 'unsent bytes before a socket counts as not reading (4503)',
    group: 'Limits',
  },
  {
    key: 'pingIntervalMs',
    flag: 'ping-interval',
    env: env('PING_INTERVAL'),
    kind: { type: 'millis', min: 1000 },
    help: 'WebSocket ping interval; a socket missing one is dropped',
    group: 'Limits',
  },
  {
    key: 'versionAfterMs',
    flag: 'version-after',
    env: env('VERSION_AFTER'),
    kind: { type: 'millis', allowZero: true },
    help: "record a room's version once it has been still this long after edits (0: only on demand)",
    group: 'Storage',
  },
  {
    key: 'versionEveryMs',
    flag: 'version-every',
    env: env('VERSION_EVERY'),
    kind: { type: 'millis', min: 1000 },
    help: 'and at least this often while edits go on',
    group: 'Storage',
  },
  {
    key: 'versionRetention',
    flag: 'version-retention',
    env: env('VERSION_RETENTION'),
    kind: { type: 'retention' },
    help: 'versions kept by age: <age>:<all or interval>,... (named versions always stay)',
    group: 'Storage',
  },
  {
    key: 'maxVersions',
    flag: 'max-versions',
    env: env('MAX_VERSIONS'),
    kind: { type: 'count', min: 2 },
    help: 'versions a room keeps at most (the oldest unnamed ones go first)',
    group: 'Storage',
  },
  {
    key: 'compactAfterUpdates',
    flag: 'compact-after-updates',
    env: env('COMPACT_AFTER_UPDATES'),
    kind: { type: 'count', min: 1 },
    help: 'compact a room log after this many updates',
    group: 'Storage',
  },
  {
    key: 'compactAfterBytes',
    flag: 'compact-after-bytes',
    env: env('COMPACT_AFTER_BYTES'),
    kind: { type: 'bytes' },
    help: '... or this many bytes',
    group: 'Storage',
  },
  {
    key: 'compactOnUnloadAfterUpdates',
    flag: 'compact-on-unload-after',
    env: env('COMPACT_ON_UNLOAD_AFTER'),
    kind: { type: 'count', min: 1 },
    help: 'compact on unload when the log holds this many updates',
    group: 'Storage',
  },
  {
    key: 'previewMaxElements',
    flag: 'preview-max-elements',
    env: env('PREVIEW_MAX_ELEMENTS'),
    kind: { type: 'count', min: 1 },
    help: 'boards larger get 413 instead of a preview',
    group: 'Previews',
  },
  {
    key: 'previewMaxBytes',
    flag: 'preview-max-bytes',
    env: env('PREVIEW_MAX_BYTES'),
    kind: { type: 'bytes' },
    help: 'largest preview SVG (413 beyond)',
    group: 'Previews',
  },
  {
    key: 'previewCacheBytes',
    flag: 'preview-cache-bytes',
    env: env('PREVIEW_CACHE_BYTES'),
    kind: { type: 'bytes' },
    help: 'previews kept for repeat requests',
    group: 'Previews',
  },
  {
    key: 'previewConcurrency',
    flag: 'preview-concurrency',
    env: env('PREVIEW_CONCURRENCY'),
    kind: { type: 'count', min: 1 },
    help: 'previews drawn at once (503 beyond)',
    group: 'Previews',
  },
];

export {
  ConfigError,
  formatBytes,
  formatDefault,
  parseBytes,
  parseSetting,
  secretFileKey,
} from './setting-values.js';
