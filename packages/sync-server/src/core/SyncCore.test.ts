import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseCode, decodeMessage, encodeSyncStep1, encodeUpdate, type RoomId } from '@inkroom/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_CONFIG } from '../config.js';
import { createLogger } from '../logger.js';
import { LevelRoomStore } from '../storage/LevelRoomStore.js';
import type { LogEnd, RoomStore, StoredRoom } from '../storage/RoomStore.js';
import type { ServerSocket } from './ServerSocket.js';
import { SyncCore } from './SyncCore.js';

/** An in-memory socket: records what the core sends, lets the test play the client. */
class FakeSocket implements ServerSocket {
  readonly sent: Uint8Array[] = [];
  closeCode: number | null = null;
  bufferedAmount = 0;
  private messageListener: ((data: Uint8Array, isBinary: boolean) => void) | null = null;
  private closeListener: ((code: number) => void) | null = null;
  send(data: Uint8Array): void {
    this.sent.push(data);
  }
  close(code: number): void {
    this.closeCode = code;
    this.closeListener?.(code);
  }
  onMessage(listener: (data: Uint8Array, isBinary: boolean) => void): void {
    this.messageListener = listener;
  }
  onClose(listener: (code: number) => void): void {
    this.closeListener = listener;
  }
  receive(data: Uint8Array): void {
    this.messageListener?.(data, true);
  }
  types(): string[] {
    return this.sent.map((frame) => decodeMessage(frame).type);
  }
}

/** A real LevelDB store whose loads and writes wait for the test to let them through. */
class GatedStore implements RoomStore {
  appends = 0;
  failWrites = false;
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => {};
  constructor(private readonly inner: RoomStore) {}
  hold(): void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }
  release(room: RoomId): void {
    this.inner.release(room);
  }
  let(): void {
    this.openGate();
  }
  async load(room: RoomId): Promise<StoredRoom> {
    await this.gate;
    return this.inner.load(room);
  }
  has(room: RoomId): Promise<boolean> {
    return this.inner.has(room);
  }
  readLog(room: RoomId): Promise<Uint8Array[]> {
    return this.inner.readLog(room);
  }
  checkWritable(): Promise<void> {
    return this.inner.checkWritable();
  }
  list(options: { prefix: string; after: RoomId | null; limit: number }) {
    return this.inner.list(options);
  }
  info(room: RoomId) {
    return this.inner.info(room);
  }
  setDeleted(room: RoomId, deletedAt: number | null) {
    return this.inner.setDeleted(room, deletedAt);
  }
  deletedAt(room: RoomId) {
    return this.inner.deletedAt(room);
  }
  deletedRooms() {
    return this.inner.deletedRooms();
  }
  setRetired(room: RoomId, stateVector: Uint8Array | null) {
    return this.inner.setRetired(room, stateVector);
  }
  retired(room: RoomId) {
    return this.inner.retired(room);
  }
  async append(room: RoomId, update: Uint8Array): Promise<void> {
    this.appends++;
    await this.gate;
    if (this.failWrites) throw new Error('disk full');
    return this.inner.append(room, update);
  }
  logEnd(room: RoomId): LogEnd {
    return this.inner.logEnd(room);
  }
  compact(room: RoomId, snapshot: Uint8Array, end: LogEnd): Promise<void> {
    return this.inner.compact(room, snapshot, end);
  }
  delete(room: RoomId): Promise<void> {
    return this.inner.delete(room);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

function updateFrom(edit: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array | null = null;
  doc.on('update', (u: Uint8Array) => {
    update = u;
  });
  edit(doc);
  return encodeUpdate(update!);
}

describe('SyncCore with in-memory sockets', () => {
  let dir: string;
  let store: GatedStore;
  let core: SyncCore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inkroom-core-'));
    store = new GatedStore(await LevelRoomStore.open(dir));
    core = new SyncCore({ store, limits: DEFAULT_CONFIG, logger: createLogger('silent') });
  });
  afterEach(async () => {
    store.let();
    await core.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('relays an update only after it is stored', async () => {
    const a = new FakeSocket();
    const b = new FakeSocket();
    core.handleConnection(a, 'r');
    core.handleConnection(b, 'r');
    await tick();
    store.hold();
    a.receive(updateFrom((doc) => doc.getMap('m').set('k', 1)));
    await tick();
    expect(b.types()).not.toContain('update');
    store.let();
    await tick();
    expect(b.types()).toContain('update');
    // The sender is not sent its own update back.
    expect(a.types()).not.toContain('update');
  });

  it('holds back a sync step 2 until what it contains is stored', async () => {
    const a = new FakeSocket();
    core.handleConnection(a, 'r');
    await tick();
    store.hold();
    a.receive(updateFrom((doc) => doc.getMap('m').set('k', 1)));
    const c = new FakeSocket();
    core.handleConnection(c, 'r');
    await tick();
    c.receive(encodeSyncStep1(new Uint8Array([0])));
    await tick();
    expect(c.types()).toEqual(['sync-step1']);
    store.let();
    await tick();
    // The step 2 and the relayed update both arrive once the write is done.
    expect(c.types().slice(1).sort()).toEqual(['sync-step2', 'update']);
  });

  it('answers frames sent while the room loads, in order, once it has loaded', async () => {
    store.hold();
    const a = new FakeSocket();
    core.handleConnection(a, 'slow');
    a.receive(updateFrom((doc) => doc.getMap('m').set('k', 1)));
    a.receive(encodeSyncStep1(new Uint8Array([0])));
    await tick();
    expect(a.sent).toHaveLength(0);
    store.let();
    await tick();
    expect(a.types()).toEqual(['sync-step1', 'sync-step2']);
    const reply = decodeMessage(a.sent[1]!);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (reply as { update: Uint8Array }).update);
    expect(doc.getMap('m').get('k')).toBe(1);
  });

  it('merges updates that arrive together into one write', async () => {
    const sockets = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    for (const s of sockets) core.handleConnection(s, 'r');
    await tick();
    for (const [i, s] of sockets.entries()) s.receive(updateFrom((doc) => doc.getMap('m').set(`k${i}`, i)));
    await tick();
    expect(store.appends).toBe(1);
    // Several senders: each needs the others' updates, so the merged update goes to all.
    for (const s of sockets) expect(s.types()).toContain('update');
  });

  it('closes the room to writes when a write fails, and reloads it for the next client', async () => {
    const a = new FakeSocket();
    const b = new FakeSocket();
    core.handleConnection(a, 'r');
    core.handleConnection(b, 'r');
    await tick();
    a.receive(updateFrom((doc) => doc.getMap('m').set('kept', 1)));
    await tick();
    store.failWrites = true;
    a.receive(updateFrom((doc) => doc.getMap('m').set('lost', 1)));
    await tick();
    expect(a.closeCode).toBe(CloseCode.RoomUnavailable);
    expect(b.closeCode).toBe(CloseCode.RoomUnavailable);
    expect(b.types().filter((t) => t === 'update')).toHaveLength(1);
    store.failWrites = false;
    const c = new FakeSocket();
    core.handleConnection(c, 'r');
    await tick();
    c.receive(encodeSyncStep1(new Uint8Array([0])));
    await tick();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (decodeMessage(c.sent.at(-1)!) as { update: Uint8Array }).update);
    expect(doc.getMap('m').toJSON()).toEqual({ kept: 1 });
    expect(c.closeCode).toBeNull();
  });

  it('refuses an invalid room name with 4404', () => {
    const s = new FakeSocket();
    core.handleConnection(s, '');
    expect(s.closeCode).toBe(CloseCode.InvalidRoom);
    const t = new FakeSocket();
    core.handleConnection(t, 'x'.repeat(300));
    expect(t.closeCode).toBe(CloseCode.InvalidRoom);
  });
});
