import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { INKROOM_PROTOCOL, type RoomId, TOKEN_PARAM, TOKEN_PROTOCOL_PREFIX } from '@inkroom/shared';
import { WebSocketServer } from 'ws';
import { Authority } from './auth/Authority.js';
import { dataDirSecret } from './auth/secrets.js';
import { DEFAULT_CONFIG, type ServerConfig } from './config.js';
import type { ConnectionRequest } from './core/Session.js';
import { SyncCore } from './core/SyncCore.js';
import { createAdminRequestHandler, createRequestHandler, type RouteOptions } from './http/routes.js';
import { createLogger, type Logger } from './logger.js';
import { PromTelemetry } from './metrics/PromTelemetry.js';
import type { AssetStore } from './storage/AssetStore.js';
import type { AuthStore } from './storage/AuthStore.js';
import { LevelAssetStore } from './storage/LevelAssetStore.js';
import { LevelAuthStore } from './storage/LevelAuthStore.js';
import { LevelRoomStore } from './storage/LevelRoomStore.js';
import { LevelVersionStore } from './storage/LevelVersionStore.js';
import { openStores } from './storage/open-stores.js';
import type { RoomStore } from './storage/RoomStore.js';
import { redisAddress } from './storage/redis/address.js';
import { Heartbeat, wsServerSocket } from './ws-socket.js';

export interface InkroomServerOptions extends Partial<ServerConfig> {
  logger?: Logger;
  /** Storage to use instead of LevelDB in `dataDir`. */
  store?: RoomStore;
  /** Where links and revocations are kept; by default the LevelDB in `dataDir`. */
  authStore?: AuthStore;
  /** Where images are kept; by default the room store's LevelDB database. */
  assetStore?: AssetStore;
}

export interface InkroomServer {
  /** `http://host:port` as listened on (the WebSocket endpoint is the same with `ws:`). */
  readonly url: string;
  readonly port: number;
  /** Where the admin API and /metrics are: `url`, or the --admin-port listener's. */
  readonly adminUrl: string;
  readonly core: SyncCore;
  readonly authority: Authority;
  /** Stops accepting, closes every socket with 1001, flushes every room and closes storage. */
  close(): Promise<void>;
}

/** Where the canvas-app build lives, if the package is installed. */
export function defaultStaticDir(): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve('@inkroom/canvas-app/package.json');
    return join(dirname(manifest), 'dist');
  } catch {
    return null;
  }
}

/** The room named by a WebSocket URL: the path after `/`, percent-decoded; '' when undecodable. */
export function roomNameFromUrl(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!.slice(1);
  try {
    return decodeURIComponent(path);
  } catch {
    return '';
  }
}

/**
 * What a WebSocket upgrade asks for: its room, and its token from `?token=` or from a
 * `Sec-WebSocket-Protocol` entry `inkroom-token.<token>`.
 */
export function connectionRequest(url: string | undefined, protocols: string | undefined): ConnectionRequest {
  const query = (url ?? '').split('?')[1];
  let token = query ? new URLSearchParams(query).get(TOKEN_PARAM) : null;
  for (const entry of (protocols ?? '').split(',')) {
    const name = entry.trim();
    if (!token && name.startsWith(TOKEN_PROTOCOL_PREFIX)) token = name.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return { roomName: roomNameFromUrl(url), token };
}

/**
 * A request's client address: the socket's, or with `trustProxy` the last `X-Forwarded-For`
 * entry, the one the proxy in front added (earlier ones are whatever the client claimed).
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && forwarded) {
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? '';
}

function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts Inkroom's server: the y-websocket endpoint on every path, `/healthz`, and the board app,
 * all on one port.
 *
 * @example
 * const server = await startInkroomServer({ port: 0, dataDir: '/tmp/inkroom' });
 * new WebsocketProvider(server.url.replace('http', 'ws'), 'my-room', new Y.Doc());
 */
export async function startInkroomServer(options: InkroomServerOptions = {}): Promise<InkroomServer> {
  const {
    logger: givenLogger,
    store: givenStore,
    authStore: givenAuthStore,
    assetStore: givenAssetStore,
    ...overrides
  } = options;
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    staticDir: defaultStaticDir(),
    ...(Object.fromEntries(
      Object.entries(overrides).filter(([, v]) => v !== undefined),
    ) as Partial<ServerConfig>),
  };
  const logger = givenLogger ?? createLogger(config.logLevel, undefined, config.logFormat);
  const opened = givenStore ? null : await openStores(config, logger);
  const store = givenStore ?? opened!.rooms;
  // A LevelDB store given by a test keeps the rest in its database too.
  const givenDb = givenStore instanceof LevelRoomStore ? givenStore.db : null;
  const assets = givenAssetStore ?? opened?.assets ?? (givenDb && new LevelAssetStore(givenDb));
  if (!assets) throw new Error('a custom store needs an assetStore too');
  const versions = opened?.versions ?? (givenDb ? new LevelVersionStore(givenDb) : undefined);
  const closeStores = async () => {
    await opened?.close();
  };
  let authority: Authority;
  try {
    // Share links need a signing key: without one given, links mode keeps its own in the data folder.
    if (config.auth === 'links' && !config.authSecret) {
      if (opened?.sharedSecret) {
        config.authSecret = await opened.sharedSecret();
        logger.info({ key: 'inkroom:auth:secret', note: 'the signing key kept in Redis' }, 'auth.secret');
      } else {
        config.authSecret = await dataDirSecret(config.dataDir, true);
        logger.info({ file: 'auth-secret', note: 'the signing key kept in the data folder' }, 'auth.secret');
      }
    }
    const authStore = givenAuthStore ?? opened?.auth ?? (givenDb && new LevelAuthStore(givenDb));
    if (!authStore) throw new Error('a custom store needs an authStore too');
    authority = await Authority.create(
      config,
      authStore,
      { roomHasContent: (room) => store.has(room), cluster: opened?.cluster },
      logger,
    );
  } catch (error) {
    await closeStores();
    throw error;
  }
  let draining = false;
  // The metrics read the core's pending bytes when scraped; the core is made just below.
  const metrics: PromTelemetry = new PromTelemetry((): number => core.pendingUpdateBytes());
  const core: SyncCore = new SyncCore({
    store,
    limits: config,
    logger,
    authorize: authority.authorize,
    telemetry: metrics,
    cluster: opened?.cluster,
    versions,
  });
  authority.onSessionsEnd((matches, code) => {
    metrics.revoked();
    return core.closeSessions(matches, code);
  });
  const startedAt = Date.now();
  const routeOptions: RouteOptions = {
    staticDir: config.staticDir,
    stats: () => core.stats(),
    startedAt,
    readRoom: (name) => core.readRoom(name),
    authority,
    takeNewRoom: (address, room) => core.takeNewRoom(address, room as RoomId | null),
    clientAddress: (req) => clientAddress(req, config.trustProxy),
    previewLimits: config,
    assets,
    imageLimits: config,
    metrics,
    notReady: async () => {
      if (draining) return 'shutting down';
      try {
        await store.checkWritable();
        return null;
      } catch {
        return 'storage is not writable';
      }
    },
    admin: { authority, core, store, assets, logger },
    adminPortSeparate: config.adminPort !== null,
    logger,
  };
  const http = createServer(createRequestHandler(routeOptions));
  const adminHttp = config.adminPort === null ? null : createServer(createAdminRequestHandler(routeOptions));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
    // A token offered as a subprotocol needs an answer the browser accepts: `inkroom`, never the token.
    handleProtocols: (offered) => (offered.has(INKROOM_PROTOCOL) ? INKROOM_PROTOCOL : false),
  });
  const heartbeat = new Heartbeat();

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => {
      heartbeat.track(ws);
      core.handleConnection(wsServerSocket(ws, logger), {
        ...connectionRequest(req.url, req.headers['sec-websocket-protocol']),
        address: clientAddress(req, config.trustProxy),
      });
    });
  });

  let address: AddressInfo;
  let adminAddress: AddressInfo | null = null;
  try {
    address = await listen(http, config.port, config.host);
    if (adminHttp) adminAddress = await listen(adminHttp, config.adminPort!, config.adminHost);
  } catch (error) {
    http.close();
    await closeStores();
    throw error;
  }
  heartbeat.start(wss.clients, config.pingIntervalMs);
  const url = httpUrl(config.host, address.port);
  const adminUrl = adminAddress ? httpUrl(config.adminHost, adminAddress.port) : url;
  logger.info(
    {
      host: config.host,
      port: address.port,
      adminPort: adminAddress?.port,
      dataDir: config.dataDir,
      redis: config.redis ? redisAddress(config.redis) : undefined,
      auth: config.auth,
    },
    'server.listening',
  );
  if (config.auth === 'off' && !isLoopback(config.host)) {
    logger.warn(
      {
        host: config.host,
        note: 'anyone who can reach this server can read, change or wipe any room; see --auth',
      },
      'auth.off',
    );
  }

  let closing: Promise<void> | null = null;
  const close = async () => {
    // Draining: /readyz answers 503 so a load balancer stops sending people here, while
    // everything else carries on for `drainMs`; then sockets close and rooms flush.
    draining = true;
    if (config.drainMs > 0) {
      logger.info({ ms: config.drainMs }, 'server.draining');
      await new Promise((resolve) => setTimeout(resolve, config.drainMs));
    }
    heartbeat.stop();
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeIdleConnections();
    adminHttp?.close();
    adminHttp?.closeAllConnections();
    await core.close();
    const deadline = Date.now() + config.closeGraceMs;
    while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    http.closeAllConnections();
    await stopped;
    await closeStores();
    logger.info('server.stopped');
  };
  return {
    url,
    adminUrl,
    port: address.port,
    core,
    authority,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
