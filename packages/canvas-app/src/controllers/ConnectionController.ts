import {
  boardSchemaVersion,
  CloseCode,
  createBoardDoc,
  migrateBoard,
  SCHEMA_VERSION,
  SchemaTooNewError,
} from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { AssetEndpoint } from '../images/BoardImages.js';
import { AccessToken, type TokenSource } from './AccessToken.js';
import { RecentEdits } from './RecentEdits.js';

/**
 * `connecting`: first contact with the server; `connected`: socket open, catching up; `synced`:
 * live; `offline`: no server (unreachable, stopped, or the device is offline). Edits made while
 * offline are kept in IndexedDB and merge when the connection returns.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'synced' | 'offline';

export interface ConnectionTarget {
  /** `ws://host:port` of the Inkroom server. */
  server: string;
  room: string;
}

/**
 * The server a script was loaded from, as `ws://` or `wss://` plus host, or '' when the URL is
 * not http(s): where a board with no `server` attribute connects.
 */
export function serverOfScript(scriptUrl: string): string {
  try {
    const url = new URL(scriptUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
    return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
  } catch {
    return '';
  }
}

/** The HTTP base of a sync server's WebSocket URL (ws → http, wss → https, any path kept). */
export function httpBaseOf(server: string): string {
  return server.replace(/^ws(s?):/, 'http$1:').replace(/\/+$/, '');
}

/** Why a target cannot be connected to, or null when it can. */
export function targetProblem(target: ConnectionTarget): string | null {
  let url: URL;
  try {
    url = new URL(target.server);
  } catch {
    return `server "${target.server}" is not a URL (expected ws://host:port or wss://host)`;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    return `server "${target.server}" is not a WebSocket URL (expected ws://host:port or wss://host)`;
  // URLs drop "." and ".." path segments, encoded or not: such a room could never be reached.
  if (target.room === '.' || target.room === '..') return `room "${target.room}" cannot be used`;
  return null;
}

/** The IndexedDB database that keeps one room of one server on this device. */
export function localDatabaseName(target: ConnectionTarget): string {
  // The room is encoded, so no server and room pair can spell another's name.
  return `inkroom:${target.server}/${encodeURIComponent(target.room)}`;
}

export interface ConnectionOptions {
  /** The server and room to be in, or null for none. */
  target: () => ConnectionTarget | null;
  /** Told every status change, with the server's reason when it refused the room for good. */
  statusChanged?: (status: ConnectionStatus, reason: string | null) => void;
  /** False for a read-only board: it then writes nothing, not even the schema stamp. */
  mayWrite?: () => boolean;
  /** The board's `token` and `tokenProvider`, for servers with access control. */
  tokenSource?: () => TokenSource;
}

/**
 * Owns one room's Y.Doc, its y-websocket provider and its IndexedDB copy for the element's
 * lifetime: opened when the element is connected, closed when it is removed, rebuilt when
 * `server` or `room` changes. The local copy shows the board before the server answers, or
 * without a server at all.
 */
export class ConnectionController implements ReactiveController {
  doc: Y.Doc | null = null;
  provider: WebsocketProvider | null = null;
  status: ConnectionStatus = 'connecting';
  /**
   * Why the server closed the room for good (a 44xx close: invalid room, invalid update...);
   * the provider then stops retrying. Null otherwise.
   */
  refusal: string | null = null;
  /**
   * The server refused this board's token (4401, 4403: missing, expired, revoked) or the room was
   * deleted (4410): nothing drawn now could ever reach it, so the board offers no tools until
   * access returns.
   */
  accessDenied = false;
  /** True once the room's local copy (IndexedDB) has been read into the doc. */
  localLoaded = false;
  private local: IndexeddbPersistence | null = null;
  private recent: RecentEdits | null = null;
  private access: AccessToken | null = null;
  /** The board was written by a newer Inkroom: it is shown but not edited. */
  readOnlyBecauseNewer = false;
  private target: ConnectionTarget | null = null;
  /** Set when the server was lost (or never reached): retries then stay `offline`, not `connecting`. */
  private lost = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ConnectionOptions,
  ) {
    host.addController(this);
  }

  /** The server and room connected to now, if any. */
  get current(): ConnectionTarget | null {
    return this.target;
  }

  /** Called after each rebuild, with the new doc (tools, scene and history attach to it). */
  onRebuild(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  hostConnected(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.close();
  }

  /** Reconnects if the target changed (call from the host's `updated`). */
  sync(): void {
    const next = this.options.target();
    const same = next && this.target && next.server === this.target.server && next.room === this.target.room;
    if (same && this.doc) return;
    this.close();
    this.target = next;
    this.readOnlyBecauseNewer = false;
    this.localLoaded = false;
    this.lost = false;
    this.refusal = null;
    this.accessDenied = false;
    if (next) this.open(next);
    if (!this.doc) this.setStatus('offline', true);
    // The board lets go of the old doc, and takes the new one if there is one.
    for (const listener of this.listeners) listener();
  }

  private open(target: ConnectionTarget): void {
    const problem = targetProblem(target);
    if (problem) {
      // Say so, and show no board (the provider would throw, or retry forever, or go elsewhere).
      console.error(`inkroom: ${problem}`);
      return;
    }
    const doc = createBoardDoc();
    // The room is one path segment: encoded, `?`, `#` and `%` in a name stay in the name. The
    // provider connects once the access token (if any) is known.
    const source = this.options.tokenSource?.();
    const provider = new WebsocketProvider(target.server, encodeURIComponent(target.room), doc, {
      connect: false,
      // Boards of one room in one browser also talk over a BroadcastChannel, past the server. With
      // access control that would let a board without access (refused, revoked, read-only) see
      // and change the room through another: every board then goes through the server alone.
      disableBc: Boolean(source?.token || source?.provider),
    });
    this.doc = doc;
    this.provider = provider;
    const access = new AccessToken(
      () => this.options.tokenSource?.() ?? { token: null, provider: null },
      (problem) => {
        if (this.access !== access) return;
        if (problem) {
          // No token to be had: the server would only refuse, so nothing drawn could reach it.
          this.refusal = problem;
          this.accessDenied = true;
          this.setStatus('offline', true);
        }
        this.host.requestUpdate();
      },
    );
    this.access = access;
    const local = openLocalCopy(target, doc, () => {
      if (this.local !== local) return;
      this.localLoaded = true;
      this.host.requestUpdate();
    });
    this.local = local;
    this.recent = new RecentEdits(
      `${localDatabaseName(target)}:recent`,
      doc,
      (origin) => origin === provider || (local !== null && origin === local),
    );
    this.recent.start();
    this.setStatus(globalThis.navigator?.onLine === false ? 'offline' : 'connecting', true);
    provider.on('status', this.onStatus);
    provider.on('connection-close', this.onClose);
    provider.on('closed', this.onRefused);
    provider.on('sync', this.onSync);
    globalThis.addEventListener?.('offline', this.onOffline);
    globalThis.addEventListener?.('online', this.onOnline);
    void access.start(provider);
  }

  /** Where the room's images are (`<server>/api/rooms/<room>/assets/<hash>`), with the current token. */
  assetEndpoint(): AssetEndpoint | null {
    const api = this.roomApi();
    return api && { url: (hash) => `${api.base}/assets/${hash}`, token: api.token };
  }

  /** The room's HTTP API (`.../api/rooms/<room>`) and the token for it; null without a room. */
  roomApi(): { base: string; token: string | null } | null {
    const target = this.target;
    if (!target) return null;
    return {
      base: `${httpBaseOf(target.server)}/api/rooms/${encodeURIComponent(target.room)}`,
      token: this.access?.token ?? null,
    };
  }

  /** The token's scope is `read`: the server drops this board's changes, so it offers none. */
  get readOnlyByScope(): boolean {
    return this.access?.scope === 'read';
  }

  /** The name the access token gives this person, if any (others see it, whatever we send). */
  get tokenName(): string | null {
    return this.access?.name ?? null;
  }

  /** The `token` or `tokenProvider` changed: renew in place, or retry a refused connection. */
  tokenChanged(): void {
    if (this.refusal) this.refusal = null;
    void this.access?.sourceChanged();
  }

  private readonly onStatus = ({ status }: { status: string }) => {
    if (status === 'connected') {
      this.lost = false;
      this.refusal = null;
      this.accessDenied = false;
      this.setStatus('connected');
    } else if (status === 'connecting' && !this.lost) {
      this.setStatus('connecting');
    }
  };

  /** Any socket closing, including a first attempt that never opened (no `disconnected` status then). */
  private readonly onClose = (event: { code: number } | null) => {
    // Permissions changed: the provider reconnects at once, with the new scope; not offline.
    if (event?.code === CloseCode.PermissionsChanged) return this.setStatus('connecting');
    this.lost = true;
    this.setStatus('offline');
  };

  /** A 44xx close: the provider will not retry, so the badge must not promise it will. */
  private readonly onRefused = ({ code, reason }: { code: number; reason: string }) => {
    this.refusal = `${code}${reason ? ` ${reason}` : ''}`;
    this.accessDenied =
      code === CloseCode.Unauthorized || code === CloseCode.Forbidden || code === CloseCode.RoomDeleted;
    this.setStatus('offline', true);
  };

  /** Writing became allowed (a read-only board made editable): stamp the schema if it is synced. */
  writable(): void {
    if (this.provider?.synced) this.onSync(true);
  }

  private readonly onSync = (synced: boolean) => {
    if (!synced || !this.doc) return;
    if (this.options.mayWrite?.() === false || this.readOnlyByScope) {
      this.readOnlyBecauseNewer = boardSchemaVersion(this.doc) > SCHEMA_VERSION;
    } else {
      try {
        migrateBoard(this.doc);
        this.readOnlyBecauseNewer = false;
      } catch (error) {
        // A board from a newer Inkroom is shown, not edited. Anything else is a bug worth seeing,
        // but not worth breaking the provider's event loop for.
        if (error instanceof SchemaTooNewError) this.readOnlyBecauseNewer = true;
        else console.error('inkroom: board migration failed', error);
      }
    }
    this.setStatus('synced');
  };

  private readonly onOffline = () => {
    this.lost = true;
    this.setStatus('offline');
  };

  /** Back online: the socket may never have dropped, in which case nothing else will say so. */
  private readonly onOnline = () => {
    const provider = this.provider;
    if (!provider?.wsconnected) return;
    this.lost = false;
    this.setStatus(provider.synced ? 'synced' : 'connected');
  };

  /** `force` reports the status even when unchanged (a new room starts its own sequence). */
  private setStatus(status: ConnectionStatus, force = false): void {
    if (status === this.status && !force) return;
    this.status = status;
    this.host.requestUpdate();
    this.options.statusChanged?.(status, this.refusal);
  }

  private close(): void {
    globalThis.removeEventListener?.('offline', this.onOffline);
    globalThis.removeEventListener?.('online', this.onOnline);
    if (this.provider) {
      this.provider.off('status', this.onStatus);
      this.provider.off('connection-close', this.onClose);
      this.provider.off('closed', this.onRefused);
      this.provider.off('sync', this.onSync);
      this.provider.destroy();
    }
    this.access?.stop();
    this.access = null;
    this.recent?.stop();
    void this.local?.destroy();
    this.doc?.destroy();
    this.recent = null;
    this.local = null;
    this.provider = null;
    this.doc = null;
  }
}

/**
 * Keeps the room in IndexedDB. Where IndexedDB is unavailable (some private modes, sandboxed
 * frames) the board works as before, online only.
 */
function openLocalCopy(
  target: ConnectionTarget,
  doc: Y.Doc,
  loaded: () => void,
): IndexeddbPersistence | null {
  if (!globalThis.indexedDB) return null;
  try {
    const local = new IndexeddbPersistence(localDatabaseName(target), doc);
    local.whenSynced.then(loaded, () => {});
    return local;
  } catch {
    return null;
  }
}
