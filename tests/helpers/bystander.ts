// What a bystander room feels while something else runs: the timed suites' shared parts.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { addElement, createBoardDoc, encodeUpdate, pointsFrom } from '@inkroom/shared';
import * as Y from 'yjs';
import { type RawClient, rawClient, waitFor } from './clients.js';
import type { TestServer } from './server.js';

/** Worst delay of another room's updates. */
export const OTHER_ROOM_MS = 200;

const MARK = Buffer.from('ping:');

/** A full garbage collection of this process, now. */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** With INKROOM_FIGURES=<file>, each case's worst delays are appended there as JSON lines. */
export function note(figures: Record<string, unknown>): void {
  const file = process.env.INKROOM_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify(figures)}\n`);
}

/**
 * Two bare sockets in one room: one sends a Yjs update every 50 ms (made by a doc of its own), the
 * other notes how long each took to come back: the worst is what the room felt of whatever ran
 * meanwhile. Neither integrates what the room relays (the receiver only looks for the ping's
 * marker in the bytes), so the test process's own work stays out of the figure.
 */
export class Bystander {
  private readonly sender: RawClient;
  private readonly doc = new Y.Doc();
  private readonly receiver: RawClient;
  private readonly sentAt = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private worst = 0;
  private seq = 0;
  private lastSeen = 0;

  constructor(t: TestServer, room: string) {
    this.sender = rawClient(t.wsUrl, room);
    this.doc.on('update', (update: Uint8Array) => this.sender.ws.send(encodeUpdate(update)));
    this.receiver = rawClient(t.wsUrl, room);
    this.receiver.ws.on('message', (data: Buffer) => {
      let at = data.indexOf(MARK);
      while (at >= 0) {
        const seq = Number.parseInt(data.subarray(at + MARK.length, at + MARK.length + 12).toString(), 10);
        const sent = this.sentAt.get(seq);
        if (sent !== undefined) {
          this.worst = Math.max(this.worst, performance.now() - sent);
          this.sentAt.delete(seq);
          this.lastSeen = Math.max(this.lastSeen, seq);
        }
        at = data.indexOf(MARK, at + 1);
      }
    });
  }

  get ready(): Promise<unknown> {
    return Promise.all([this.sender.opened, this.receiver.opened]);
  }

  /**
   * Runs `during` with a ping every 50 ms, then 300 ms more; returns the worst delay seen: of a
   * ping, or of the event loop itself. The server runs in this process, so a task that holds it
   * holds the pings too: one that starts just after a ping came back delays none, and only the
   * loop's own delay shows it. `nested`: inside another bystander's watch, which collected already.
   */
  async watch(during: () => Promise<void>, nested = false): Promise<number> {
    // The boards earlier cases built and dropped (hundreds of MB) are collected now, not in a
    // pause the bystander would blame on the server.
    if (!nested) collectGarbage();
    this.worst = 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    this.timer = setInterval(() => {
      const seq = ++this.seq;
      this.sentAt.set(seq, performance.now());
      this.doc.getMap('ping').set('mark', `ping:${seq};`);
    }, 50);
    try {
      await during();
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      clearInterval(this.timer);
      this.timer = null;
      loop.disable();
    }
    this.worst = Math.max(this.worst, loop.max / 1e6);
    const last = this.seq;
    await waitFor(() => this.lastSeen >= last, 'the last ping', 10_000);
    // A ping still missing was never relayed: count it as the whole wait.
    for (const sent of this.sentAt.values()) this.worst = Math.max(this.worst, performance.now() - sent);
    this.sentAt.clear();
    return this.worst;
  }

  destroy(): void {
    this.sender.ws.close();
    this.receiver.ws.close();
    this.doc.destroy();
  }
}

/** `count` strokes added in one transaction, as one update (what pasting them sends). */
export function board(count: number): Uint8Array {
  const source = createBoardDoc();
  const before = Y.encodeStateVector(source);
  source.transact(() => {
    for (let i = 0; i < count; i++) {
      const points = pointsFrom(Array.from({ length: 24 }, (_, j) => [(i % 300) + j, j * 2, 0.5]));
      addElement(source, { kind: 'stroke', x: i % 1000, y: Math.floor(i / 1000) * 20, points });
    }
  });
  return Y.encodeStateAsUpdate(source, before);
}
