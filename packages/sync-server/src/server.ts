import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { WebSocketServer } from 'ws';
import { DEFAULT_CONFIG, type ServerConfig } from './config.js';
import { SyncCore } from './core/SyncCore.js';
import { createRequestHandler } from './http/routes.js';
import { createLogger, type Logger } from './logger.js';
import { LevelRoomStore } from './storage/LevelRoomStore.js';
import type { RoomStore } from './storage/RoomStore.js';
import { Heartbeat, wsServerSocket } from './ws-socket.js';

export interface InkroomServerOptions extends Partial<ServerConfig> {
  logger?: Logger;
  /** Storage to use instead of LevelDB in `dataDir`. */
  store?: RoomStore;
}

export interface InkroomServer {
  /** `http://host:port` as listened on (the WebSocket endpoint is the same with `ws:`). */
  readonly url: string;
  readonly port: number;
  readonly core: SyncCore;
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

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** How long sockets get to finish their close handshake on shutdown before they are cut. */
const CLOSE_GRACE_MS = 1000;

/**
 * Starts Inkroom's server: the y-websocket endpoint on every path, `/healthz`, and the board app,
 * all on one port.
 *
 * @example
 * const server = await startInkroomServer({ port: 0, dataDir: '/tmp/inkroom' });
 * new WebsocketProvider(server.url.replace('http', 'ws'), 'my-room', new Y.Doc());
 */
export async function startInkroomServer(options: InkroomServerOptions = {}): Promise<InkroomServer> {
  const { logger: givenLogger, store: givenStore, ...overrides } = options;
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    staticDir: defaultStaticDir(),
    ...(Object.fromEntries(
      Object.entries(overrides).filter(([, v]) => v !== undefined),
    ) as Partial<ServerConfig>),
  };
  const logger = givenLogger ?? createLogger();
  const store = givenStore ?? (await LevelRoomStore.open(config.dataDir));
  const core = new SyncCore(store, config, logger);
  const startedAt = Date.now();
  const http = createServer(
    createRequestHandler({
      staticDir: config.staticDir,
      stats: () => core.stats(),
      startedAt,
      readRoom: (name) => core.readRoom(name),
      logger,
    }),
  );
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
  });
  const heartbeat = new Heartbeat();

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => {
      heartbeat.track(ws);
      core.handleConnection(wsServerSocket(ws, logger), roomNameFromUrl(req.url));
    });
  });

  let address: AddressInfo;
  try {
    address = await listen(http, config.port, config.host);
  } catch (error) {
    if (!givenStore) await store.close();
    throw error;
  }
  heartbeat.start(wss.clients, config.pingIntervalMs);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${address.port}`;
  logger.info({ host: config.host, port: address.port, dataDir: config.dataDir }, 'listening');

  let closing: Promise<void> | null = null;
  const close = async () => {
    heartbeat.stop();
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeIdleConnections();
    await core.close();
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    http.closeAllConnections();
    await stopped;
    if (!givenStore) await store.close();
    logger.info('stopped');
  };
  return {
    url,
    port: address.port,
    core,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
