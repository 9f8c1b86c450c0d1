import { DEFAULT_RETENTION } from './core/retention.js';
/** `off`: anyone may open any room; `links`: the app's share links; `tokens`: tokens signed by your app. */
export type AuthMode = 'off' | 'links' | 'tokens';
export const AUTH_MODES: readonly AuthMode[] = ['off', 'links', 'tokens'];

/** Who may create a room with `POST /api/rooms` (links mode). */
export type RoomCreators = 'anyone' | 'admin';

/** Every limit and setting of the server, with its documented default. */
export interface ServerConfig {
  /** Interface to listen on. Default `localhost`. */
  host: string;
  /** TCP port; 0 picks a free one. Default 1234. */
  port: number;
  /** Folder of the LevelDB database. Default `./data`. */
  dataDir: string;
  /** Folder of the built board app served at `/`; null serves none. Default: the canvas-app build. */
  staticDir: string | null;
  /** Largest WebSocket frame accepted; a larger one closes the socket with 1009. Default 16 MiB. */
  maxMessageBytes: number;
  /** Largest image a board may add (`PUT /api/rooms/<room>/assets/<sha256>`, 413 beyond). Default 10 MiB. */
  maxImageBytes: number;
  /** Bytes of images one room may hold, each image counted once (413 beyond). Default 256 MiB. */
  maxRoomImageBytes: number;
  /** Largest awareness update accepted; a larger one closes the socket with 4413. Default 64 KiB. */
  maxAwarenessBytes: number;
  /** Awareness client ids one socket may speak for (a y-websocket client uses one). Default 8. */
  maxAwarenessClientsPerConnection: number;
  /**
   * Bytes of updates whose dependencies have not arrived that a room holds; past this the socket
   * that sent the latest one is closed with 4529 and the waiting updates are dropped. Default 1 MiB.
   */
  maxPendingUpdateBytes: number;
  /**
   * Structs one update may carry, counting each value of a list of values too (4414 beyond).
   * Default 500,000: pasting 50,000 elements sends 110,000 structs and 50,000 values.
   */
  maxUpdateStructs: number;
  /** Client ids one update may carry structs or deletions for (4414 beyond). Default 10,000. */
  maxUpdateClients: number;
  /**
   * Delete ranges one update may carry (4414 beyond). Default 200,000: deleting every other
   * element of 50,000 sends 25,000.
   */
  maxUpdateDeleteRanges: number;
  /**
   * How long one piece of integration may take: updates are integrated in pieces sized to take
   * about this long, and between pieces other rooms and other senders get their turn. Default 8 ms.
   */
  integrateSliceMs: number;
  /**
   * Time a socket's updates may take to integrate, per second on average, with a burst of ten
   * seconds' worth; past it the socket is closed with 4414. Default 250 ms (a quarter of a core).
   */
  integrateMsPerSecond: number;
  /**
   * Bytes waiting to be sent to one socket past which it counts as not reading; the next message
   * for it closes it with 4503 instead (one message of any size is always let through). Also the
   * most a socket may send before its room has loaded. Default 32 MiB.
   */
  maxBufferedBytes: number;
  /** Interval of WebSocket pings; a socket that misses one is dropped. Default 30 s. */
  pingIntervalMs: number;
  /** Compact a room's update log into a snapshot once it holds this many updates. Default 500. */
  compactAfterUpdates: number;
  /** ... or this many bytes. Default 4 MiB. */
  compactAfterBytes: number;
  /**
   * Compact on unload when the log holds at least this many updates. Default 1: a board that was
   * written to is left as one snapshot, which the next load hands to clients as it is.
   */
  compactOnUnloadAfterUpdates: number;
  /**
   * A room's version is recorded once it has been still this long after edits (ms); 0 records
   * versions only on demand. Default 1 minute.
   */
  versionAfterMs: number;
  /** ... and at least this often while edits go on without a pause (ms). Default 15 minutes. */
  versionEveryMs: number;
  /**
   * Which versions are kept, by age: `<age>:<all or interval>` rules, ages rising (see
   * core/retention.ts). Older than the last age, versions go; named ones stay. Default
   * `1d:all,7d:1h,90d:1d`.
   */
  versionRetention: string;
  /**
   * Versions a room keeps at most: past it, the oldest unnamed ones are folded into the next.
   * Default 1000.
   */
  maxVersions: number;
  /** Access control. Default `off`. */
  auth: AuthMode;
  /**
   * The token signing key(s): one secret of at least 32 bytes, or a JSON key file (see
   * `KeyRing`). Needed by `tokens`; `links` makes one in the data folder when none is given.
   */
  authSecret: string | null;
  /** Bearer token of the admin API; null turns the admin API off. */
  adminToken: string | null;
  /** Longest token lifetime accepted (`exp` - `iat`). Default 24 h. */
  maxTokenTtlSeconds: number;
  /** Difference tolerated between an issuer's clock and the server's, for `nbf` and `iat`. Default 30 s. */
  clockSkewSeconds: number;
  /** Lifetime of the tokens a share link is exchanged for (boards renew them). Default 10 min. */
  linkTokenTtlSeconds: number;
  /** Longest token accepted; a longer one is refused with 4401. Default 4096 characters. */
  maxTokenBytes: number;
  /** Who may create rooms in links mode. Default `anyone`. */
  createRooms: RoomCreators;
  /**
   * New rooms one client address may make a minute, by `POST /api/rooms` or by connecting to a
   * room that holds nothing yet; past it, 429 or 4508. Default 30: far more than a person makes,
   * few enough that a script cannot fill the disk quickly.
   */
  newRoomsPerMinute: number;
  /** Connections one client address may hold at once; past it, 4508. Default 500 (an office behind one NAT). */
  maxConnectionsPerIp: number;
  /**
   * Document updates (and other requests) one socket may send a second, with a burst of twice
   * that; faster ones wait. Default 240: a drag sends one per frame, up to 240 on the fastest
   * screens.
   */
  updatesPerSecond: number;
  /** Bytes of updates one socket may send a second (the burst holds one largest frame). Default 1 MiB. */
  updateBytesPerSecond: number;
  /**
   * Presence messages of one socket relayed a second; faster ones are merged, so the latest state
   * of each of its client ids always arrives. Default 30 (the board sends at most 25).
   */
  awarenessPerSecond: number;
  /** Presence messages a room relays a second, all its sockets together; more are merged. Default 300. */
  roomAwarenessPerSecond: number;
  /**
   * The client address is the last one in `X-Forwarded-For` (the one the proxy in front added),
   * not the socket's. Only behind a proxy that sets it: otherwise clients could pick their address.
   */
  trustProxy: boolean;
  /**
   * Keep rooms, access records (share links, revocations, claimed rooms) and images in this Redis
   * (redis://host:port) instead of LevelDB, shared by every process on it; null: LevelDB.
   */
  redis: string | null;
  /**
   * `strict` (default): refuse to start on a Redis whose settings could lose an acknowledged
   * write (see DURABLE_REDIS); `relaxed`: start anyway, with a warning.
   */
  redisDurability: 'strict' | 'relaxed';
  /**
   * A Redis command not answered within this fails (Redis stopped or unreachable): the room's
   * sockets are closed with 4500 and /readyz answers 503 until Redis answers again. Default 5 s.
   */
  redisTimeoutMs: number;
  /**
   * Replicas of Redis that must have an update in their append-only file on disk before it is
   * relayed to anyone or served to a joiner (WAITAOF: Redis 7.2 or later). Default 0.
   */
  redisReplicas: number;
  /**
   * fsync every LevelDB write. Off by default: a write is then in the OS page cache when it
   * resolves, which survives the server process being killed but not the machine losing power.
   */
  syncWrites: boolean;
  /** How long sockets get to finish their close handshake on shutdown before they are cut. Default 1 s. */
  closeGraceMs: number;
  /**
   * On SIGTERM, how long /readyz answers 503 while the server still serves, before it closes
   * sockets and flushes (give the load balancer's check interval). Default 0.
   */
  drainMs: number;
  /** Boards with more elements than this get 413 instead of a preview. Default 20,000. */
  previewMaxElements: number;
  /** Previews whose SVG would be larger than this get 413. Default 32 MiB. */
  previewMaxBytes: number;
  /** Previews kept for repeat requests, by total size. Default 64 MiB. */
  previewCacheBytes: number;
  /** Previews drawn at once; more requests get 503 and Retry-After. Default 2. */
  previewConcurrency: number;
  /**
   * A port of its own for the admin API and /metrics (0 picks a free one); null serves them on
   * the main port. Default null.
   */
  adminPort: number | null;
  /** Interface of the admin port. Default 127.0.0.1: reachable from this machine only. */
  adminHost: string;
  /** Log level: trace, debug, info, warn, error, silent. Default info. */
  logLevel: LogLevel;
  /** `json` lines, or `pretty` for people; default: pretty when stdout is a terminal. */
  logFormat: LogFormat | null;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
export type LogFormat = 'json' | 'pretty';

const MiB = 1024 * 1024;

export const DEFAULT_CONFIG: Readonly<ServerConfig> = {
  host: 'localhost',
  port: 1234,
  dataDir: './data',
  staticDir: null,
  maxMessageBytes: 16 * MiB,
  maxImageBytes: 10 * MiB,
  maxRoomImageBytes: 256 * MiB,
  maxAwarenessBytes: 64 * 1024,
  maxAwarenessClientsPerConnection: 8,
  maxPendingUpdateBytes: MiB,
  maxUpdateStructs: 500_000,
  maxUpdateClients: 10_000,
  maxUpdateDeleteRanges: 200_000,
  integrateSliceMs: 8,
  integrateMsPerSecond: 250,
  maxBufferedBytes: 32 * MiB,
  pingIntervalMs: 30_000,
  compactAfterUpdates: 500,
  compactAfterBytes: 4 * MiB,
  compactOnUnloadAfterUpdates: 1,
  versionAfterMs: 60_000,
  versionEveryMs: 15 * 60_000,
  versionRetention: DEFAULT_RETENTION,
  maxVersions: 1000,
  auth: 'off',
  authSecret: null,
  adminToken: null,
  maxTokenTtlSeconds: 24 * 3600,
  clockSkewSeconds: 30,
  linkTokenTtlSeconds: 600,
  maxTokenBytes: 4096,
  createRooms: 'anyone',
  newRoomsPerMinute: 30,
  maxConnectionsPerIp: 500,
  updatesPerSecond: 240,
  updateBytesPerSecond: MiB,
  awarenessPerSecond: 30,
  roomAwarenessPerSecond: 300,
  trustProxy: false,
  redis: null,
  redisDurability: 'strict',
  redisTimeoutMs: 5000,
  redisReplicas: 0,
  syncWrites: false,
  closeGraceMs: 1000,
  drainMs: 0,
  previewMaxElements: 20_000,
  previewMaxBytes: 32 * MiB,
  previewCacheBytes: 64 * MiB,
  previewConcurrency: 2,
  adminPort: null,
  adminHost: '127.0.0.1',
  logLevel: 'info',
  logFormat: null,
};

/** What previews may cost. */
export type PreviewLimits = Pick<
  ServerConfig,
  'previewMaxElements' | 'previewMaxBytes' | 'previewCacheBytes' | 'previewConcurrency'
>;

/** The settings of access control. */
export type AuthSettings = Pick<
  ServerConfig,
  | 'auth'
  | 'authSecret'
  | 'adminToken'
  | 'maxTokenTtlSeconds'
  | 'clockSkewSeconds'
  | 'linkTokenTtlSeconds'
  | 'maxTokenBytes'
  | 'createRooms'
>;

/** What the core limits beyond a room's own limits: per socket and per client address. */
export type CoreLimits = RoomLimits &
  Pick<
    ServerConfig,
    | 'maxMessageBytes'
    | 'maxConnectionsPerIp'
    | 'newRoomsPerMinute'
    | 'updatesPerSecond'
    | 'updateBytesPerSecond'
    | 'awarenessPerSecond'
  >;

/** The settings of the room core (everything but where to listen and what to serve). */
export type RoomLimits = Pick<
  ServerConfig,
  | 'maxAwarenessBytes'
  | 'maxAwarenessClientsPerConnection'
  | 'maxPendingUpdateBytes'
  | 'maxUpdateStructs'
  | 'maxUpdateClients'
  | 'maxUpdateDeleteRanges'
  | 'integrateSliceMs'
  | 'integrateMsPerSecond'
  | 'roomAwarenessPerSecond'
  | 'maxBufferedBytes'
  | 'compactAfterUpdates'
  | 'compactAfterBytes'
  | 'compactOnUnloadAfterUpdates'
  | 'versionAfterMs'
  | 'versionEveryMs'
  | 'versionRetention'
  | 'maxVersions'
>;
