import { createBoardDoc, migrateBoard, SchemaTooNewError } from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

export type ConnectionStatus = 'connecting' | 'connected' | 'synced' | 'offline' | 'reconnecting';

export interface ConnectionTarget {
  /** `ws://host:port` of the Inkroom server. */
  server: string;
  room: string;
}

/**
 * Owns one room's Y.Doc and y-websocket provider for the element's lifetime: opened when the
 * element is connected, destroyed when it is removed, rebuilt when `server` or `room` changes.
 */
export class ConnectionController implements ReactiveController {
  doc: Y.Doc | null = null;
  provider: WebsocketProvider | null = null;
  status: ConnectionStatus = 'connecting';
  /** The board was written by a newer Inkroom: it is shown but not edited. */
  readOnlyBecauseNewer = false;
  private target: ConnectionTarget | null = null;
  private everConnected = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getTarget: () => ConnectionTarget | null,
  ) {
    host.addController(this);
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
    const next = this.getTarget();
    if (
      next &&
      this.target &&
      next.server === this.target.server &&
      next.room === this.target.room &&
      this.doc
    )
      return;
    this.close();
    this.target = next;
    if (!next) return;
    const doc = createBoardDoc();
    const provider = new WebsocketProvider(next.server, next.room, doc);
    this.readOnlyBecauseNewer = false;
    this.doc = doc;
    this.provider = provider;
    this.everConnected = false;
    this.setStatus('connecting');
    provider.on('status', this.onStatus);
    provider.on('sync', this.onSync);
    globalThis.addEventListener?.('offline', this.onOffline);
    for (const listener of this.listeners) listener();
  }

  private readonly onStatus = ({ status }: { status: string }) => {
    if (status === 'connected') {
      this.everConnected = true;
      this.setStatus('connected');
    } else if (status === 'disconnected') {
      this.setStatus(
        globalThis.navigator?.onLine === false
          ? 'offline'
          : this.everConnected
            ? 'reconnecting'
            : 'connecting',
      );
    }
  };

  private readonly onSync = (synced: boolean) => {
    if (!synced || !this.doc) return;
    try {
      migrateBoard(this.doc);
      this.readOnlyBecauseNewer = false;
    } catch (error) {
      // A board from a newer Inkroom is shown, not edited. Anything else is a bug worth seeing,
      // but not worth breaking the provider's event loop for.
      if (error instanceof SchemaTooNewError) this.readOnlyBecauseNewer = true;
      else console.error('inkroom: board migration failed', error);
    }
    this.setStatus('synced');
  };

  private readonly onOffline = () => this.setStatus('offline');

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.host.requestUpdate();
  }

  private close(): void {
    globalThis.removeEventListener?.('offline', this.onOffline);
    if (this.provider) {
      this.provider.off('status', this.onStatus);
      this.provider.off('sync', this.onSync);
      this.provider.destroy();
    }
    this.doc?.destroy();
    this.provider = null;
    this.doc = null;
  }
}
