/**
 * One process of the traffic generator (see runTraffic in loadgen.ts, which forks several): it
 * opens its share of the clients, sends its senders' updates on the shared schedule and records
 * every update its clients receive. Times are wall-clock ms (performance.timeOrigin + now), so the
 * coordinator can join a send in one process with its receipt in another.
 */
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { MetaCache, openMany } from './loadgen.js';
import { Samples } from './stats.js';
import { type SenderScript, senderScript, updateIndexAt } from './updates.js';
import { type Dialect, WIRES } from './wire.js';

/** One client of the load: its room, the URL it connects to and, for a sender, its script seed. */
export interface PlannedClient {
  readonly room: string;
  readonly url: string;
  /** The seed (and Yjs client id) of its sender script, or null for a client that only receives. */
  readonly seed: number | null;
  /** Its position among all the load's senders, which places its sends within each second. */
  readonly senderIndex: number | null;
}

export type ToWorker =
  | {
      type: 'setup';
      dialect: Dialect;
      clients: PlannedClient[];
      /** Every sender seed of each room this process has a client in. */
      roomSeeds: Record<string, number[]>;
      perSender: number;
    }
  | { type: 'start'; startAt: number; durationMs: number; rate: number; senders: number }
  | { type: 'drain'; sent: Record<number, number>; deadline: number };

export type FromWorker =
  | { type: 'ready' }
  | {
      type: 'sent';
      /** Updates sent by each of this process's senders. */
      sent: Record<number, number>;
      /** When each update was sent, by sender: wall-clock ms, 0 if it was not. */
      sendTimes: Record<number, Float64Array>;
      endedAt: number;
      cpuMs: number;
      eventLoopUtilization: number;
    }
  | {
      type: 'drained';
      deliveries: number;
      expected: number;
      /** Each receipt as three numbers: sender id, update index, wall-clock ms. */
      receipts: Float64Array;
    };

const clock = () => performance.timeOrigin + performance.now();
const reply = (message: FromWorker) => process.send!(message);

interface Client {
  readonly ws: WebSocket;
  readonly room: string;
  readonly script: SenderScript | null;
  readonly senderIndex: number | null;
  /** Per sender id: which of its updates this client has received. */
  readonly seen: Map<number, Uint8Array>;
  sent: number;
}

let clients: Client[] = [];
const scripts = new Map<number, SenderScript>();
const roomsOf = new Map<string, number[]>();
const receipts = new Samples();
let deliveries = 0;

async function setup(message: Extract<ToWorker, { type: 'setup' }>): Promise<void> {
  const wire = WIRES[message.dialect];
  for (const [room, seeds] of Object.entries(message.roomSeeds)) {
    roomsOf.set(room, seeds);
    for (const seed of seeds)
      if (!scripts.has(seed)) scripts.set(seed, senderScript(seed, message.perSender));
  }
  const sockets = await openMany(message.clients.map((client) => client.url));
  const meta = new MetaCache();
  clients = message.clients.map((planned, index) => ({
    ws: sockets[index]!,
    room: planned.room,
    script: planned.seed === null ? null : scripts.get(planned.seed)!,
    senderIndex: planned.senderIndex,
    seen: new Map(),
    sent: 0,
  }));
  for (const client of clients) {
    client.ws.on('message', (data: Buffer) => {
      const read = wire.readUpdate(data);
      if (!read) return;
      const now = clock();
      const { from, to } = meta.get(read.update);
      for (const [clientId, fromClock] of from) {
        const script = scripts.get(clientId);
        if (!script || script === client.script) continue;
        let seen = client.seen.get(clientId);
        if (!seen) {
          seen = new Uint8Array(message.perSender);
          client.seen.set(clientId, seen);
        }
        const last = updateIndexAt(script, (to.get(clientId) ?? fromClock) - 1);
        for (let i = updateIndexAt(script, fromClock); i <= last; i++) {
          if (seen[i]) continue;
          seen[i] = 1;
          deliveries++;
          receipts.push(clientId);
          receipts.push(i);
          receipts.push(now);
        }
      }
    });
    for (const frame of wire.hello(client.room)) client.ws.send(frame);
  }
  reply({ type: 'ready' });
}

async function start(message: Extract<ToWorker, { type: 'start' }>, dialect: Dialect): Promise<void> {
  const wire = WIRES[dialect];
  // Every sender's sends, spread evenly over each second by its place among all senders.
  const events: { at: number; client: Client; index: number }[] = [];
  for (const client of clients) {
    if (!client.script) continue;
    const count = client.script.updates.length;
    for (let i = 0; i < count - 1; i++) {
      const at = message.startAt + ((i + client.senderIndex! / message.senders) * 1000) / message.rate;
      events.push({ at, client, index: i });
    }
  }
  events.sort((a, b) => a.at - b.at);
  const sendTimes: Record<number, Float64Array> = {};
  for (const client of clients)
    if (client.script) sendTimes[client.script.clientId] = new Float64Array(client.script.updates.length);
  const cpuStart = process.cpuUsage();
  const eluStart = performance.eventLoopUtilization();
  const end = message.startAt + message.durationMs;
  let next = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = clock();
      while (next < events.length && events[next]!.at <= now) {
        const { client, index } = events[next++]!;
        const script = client.script!;
        sendTimes[script.clientId]![index] = clock();
        client.ws.send(wire.update(client.room, script.updates[index]!));
        client.sent = index + 1;
      }
      if (now >= end || next >= events.length) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const cpu = process.cpuUsage(cpuStart);
  const sent: Record<number, number> = {};
  for (const client of clients) if (client.script) sent[client.script.clientId] = client.sent;
  reply({
    type: 'sent',
    sent,
    sendTimes,
    endedAt: clock(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    eventLoopUtilization: performance.eventLoopUtilization(eluStart).utilization,
  });
}

async function drain(message: Extract<ToWorker, { type: 'drain' }>): Promise<void> {
  // Every update a sender of the room sent reaches each of the room's other clients.
  let expected = 0;
  for (const client of clients) {
    for (const seed of roomsOf.get(client.room) ?? []) {
      if (seed !== client.script?.clientId) expected += message.sent[seed] ?? 0;
    }
  }
  while (deliveries < expected && clock() < message.deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  // The sockets stay open (a late joiner is checked next); the coordinator ends the process.
  reply({ type: 'drained', deliveries, expected, receipts: receipts.values() });
}

let dialect: Dialect = 'y-websocket';

function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'setup':
      dialect = message.dialect;
      return setup(message);
    case 'start':
      return start(message, dialect);
    case 'drain':
      return drain(message);
  }
}

process.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) => {
    process.stderr.write(`traffic worker: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
});
