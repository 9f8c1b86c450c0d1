import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { checkLateJoiner, openMany } from './loadgen.js';
import { rssBytes } from './proc.js';
import type { RunningServer } from './servers.js';
import { type SenderScript, senderScript } from './updates.js';
import { WIRES } from './wire.js';

export interface IdleResult {
  connections: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  /** (RSS after - RSS before) / connections. */
  bytesPerConnection: number;
}

/** Opens `rooms * perRoom` clients that sync and then sit idle; reports memory per connection. */
export async function runIdle(server: RunningServer, rooms: number, perRoom: number): Promise<IdleResult> {
  const wire = WIRES[server.spec.dialect];
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rssBytes(server.pid);
  const names: string[] = [];
  for (let r = 0; r < rooms; r++) for (let c = 0; c < perRoom; c++) names.push(`idle-${r}`);
  const sockets = await openMany(names.map((room) => wire.url(server.url, room)));
  sockets.forEach((ws, i) => {
    ws.on('message', () => {});
    for (const frame of wire.hello(names[i]!)) ws.send(frame);
  });
  // Let every handshake finish and the heap settle.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const after = rssBytes(server.pid);
  for (const ws of sockets) ws.terminate();
  return {
    connections: sockets.length,
    rssBeforeMB: before / 2 ** 20,
    rssAfterMB: after / 2 ** 20,
    bytesPerConnection: (after - before) / sockets.length,
  };
}

export interface ColdLoadResult {
  strokes: number;
  pointsPerStroke: number;
  /** Socket open to a fresh client's doc holding every stroke, after a restart. */
  loadMs: number;
  serverRssAfterMB: number;
  diskBytes: number;
  lateJoiner: string;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await folderBytes(path) : (await stat(path)).size;
  }
  return total;
}

async function drainSocket(ws: WebSocket): Promise<void> {
  while (ws.bufferedAmount > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Sends a script's updates into a room as one client would, as fast as the socket drains, and
 * resolves once a fresh client sees all of them.
 */
export async function writeThroughServer(
  server: RunningServer,
  room: string,
  script: SenderScript,
): Promise<void> {
  const wire = WIRES[server.spec.dialect];
  const [writer] = await openMany([wire.url(server.url, room)]);
  writer!.on('message', () => {});
  for (const frame of wire.hello(room)) writer!.send(frame);
  for (let i = 0; i < script.updates.length; i++) {
    writer!.send(wire.update(room, script.updates[i]!));
    if (i % 500 === 499) await drainSocket(writer!);
  }
  await drainSocket(writer!);
  const expected = new Map([[script.clientId, script.endClock]]);
  const deadline = performance.now() + 120_000;
  while ((await checkLateJoiner(server, wire, room, expected)) !== 'ok') {
    if (performance.now() > deadline)
      throw new Error(`${server.spec.name}: room ${room} never held every update`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  writer!.close();
}

/**
 * Writes `strokes` strokes through the server, restarts it, and times how long a fresh client
 * takes from socket open to holding every stroke.
 */
export async function runColdLoad(
  first: RunningServer,
  strokes: number,
  pointsPerStroke: number,
): Promise<{ result: ColdLoadResult; server: RunningServer }> {
  const room = 'cold-load';
  const script = senderScript(4242, strokes, pointsPerStroke);
  await writeThroughServer(first, room, script);
  // Give the peers time to store what they hold (some write behind, on a timer).
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const server = await first.restart();
  const wire = WIRES[server.spec.dialect];
  await new Promise((resolve) => setTimeout(resolve, 500));

  const started = performance.now();
  const [reader] = await openMany([wire.url(server.url, room)]);
  const opened = performance.now();
  const doc = new Y.Doc();
  const loaded = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 60_000);
    reader!.on('message', (data: Buffer) => {
      const read = wire.readUpdate(new Uint8Array(data));
      if (!read) return;
      Y.applyUpdate(doc, read.update);
      if (Y.getState(doc.store, script.clientId) === script.endClock) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    for (const frame of wire.hello(room)) reader!.send(frame);
  });
  const loadMs = performance.now() - opened;
  reader!.terminate();
  doc.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    server,
    result: {
      strokes,
      pointsPerStroke,
      loadMs: loaded ? loadMs : Number.NaN,
      serverRssAfterMB: rssBytes(server.pid) / 2 ** 20,
      diskBytes: await folderBytes(server.dataDir),
      lateJoiner: loaded ? 'ok' : `failed after ${Math.round(performance.now() - started)} ms`,
    },
  };
}
