import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import type * as awarenessProtocol from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** Polls until `check` holds, failing after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  awareness: awarenessProtocol.Awareness;
  /** Resolves once the first sync with the server is complete. */
  synced: Promise<void>;
  destroy(): void;
}

/** A stock y-websocket provider, exactly as an app would create one (with `ws` as WebSocket). */
export function connectClient(
  wsUrl: string,
  room: string,
  options: { params?: Record<string, string>; doc?: Y.Doc } = {},
): Client {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: options.params ?? {},
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return {
    doc,
    provider,
    awareness: provider.awareness,
    synced,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface RawClient {
  ws: WebSocket;
  /** Every binary frame received, in order. */
  frames: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare socket that speaks whatever bytes a test hands it. */
export function rawClient(wsUrl: string, room: string, options: WebSocket.ClientOptions = {}): RawClient {
  const ws = new WebSocket(`${wsUrl}/${room}`, options);
  const frames: Uint8Array[] = [];
  ws.on('message', (data) => frames.push(new Uint8Array(data as Buffer)));
  ws.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error('closed before open')));
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return { ws, frames, opened, closed };
}

/** The update a sync message carries (a step 2 or an update), or null for any other frame. */
export function syncUpdate(frame: Uint8Array): Uint8Array | null {
  if (frame[0] !== 0 || (frame[1] !== 1 && frame[1] !== 2)) return null;
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

/**
 * What a bare socket's first sync brought, once its step 2 has arrived: a large answer comes as
 * update messages and then the step 2 (see SyncAnswer), so every sync update up to the step 2,
 * merged. Undefined before the step 2.
 */
export function syncAnswer(client: RawClient): Uint8Array | undefined {
  const updates: Uint8Array[] = [];
  for (const frame of client.frames) {
    const update = syncUpdate(frame);
    if (!update) continue;
    updates.push(update);
    if (frame[1] === 1) return Y.mergeUpdates(updates);
  }
  return undefined;
}
