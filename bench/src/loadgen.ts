import { type ChildProcess, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CpuWindow, peakRssBytes } from './proc.js';
import type { RunningServer } from './servers.js';
import { percentile, Samples } from './stats.js';
import type { FromWorker, PlannedClient, ToWorker } from './traffic-worker.js';
import { senderScript } from './updates.js';
import { WIRES, type Wire } from './wire.js';

export interface TrafficLoad {
  readonly name: string;
  readonly rooms: number;
  readonly clientsPerRoom: number;
  readonly sendersPerRoom: number;
  /** Updates per second per sender. */
  readonly rate: number;
}

export interface TrafficResult {
  sentPerSec: number;
  deliveredPerSec: number;
  /** Deliveries after the drain / deliveries expected (every update to every other client). */
  deliveryRatio: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** All the server's processes together (with Redis: every node and Redis). */
  serverCpuPercent: number;
  /** Each process's CPU, by name. */
  processCpuPercent: Record<string, number>;
  serverPeakRssMB: number;
  /** Processes the generator ran as. */
  generators: number;
  /** All its processes together. */
  generatorCpuPercent: number;
  /** Its busiest process's. */
  generatorEventLoopUtilization: number;
  /** True when the generator itself was the bottleneck: the figures then understate the server. */
  generatorLimited: boolean;
  /** 'ok', 'n/a' (no CRDT), or what a late-joining client got wrong. */
  lateJoiner: string;
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Opens sockets `concurrency` at a time, so the server's accept queue is not the test. */
export async function openMany(urls: string[], concurrency = 100): Promise<WebSocket[]> {
  const sockets: WebSocket[] = new Array(urls.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, urls.length) }, async () => {
      while (next < urls.length) {
        const index = next++;
        sockets[index] = await openSocket(urls[index]!);
      }
    }),
  );
  return sockets;
}

/**
 * Parsed headers of received updates, keyed by length and leading bytes: a broadcast reaches
 * every receiver as the same bytes, so each is parsed once, not once per receiver.
 */
export class MetaCache {
  private readonly cache = new Map<string, { from: Map<number, number>; to: Map<number, number> }>();
  get(update: Uint8Array) {
    const key = `${update.length}:${Buffer.from(update.buffer, update.byteOffset, Math.min(48, update.length)).toString('base64')}`;
    let meta = this.cache.get(key);
    if (!meta) {
      if (this.cache.size > 20_000) this.cache.clear();
      meta = Y.parseUpdateMeta(update);
      this.cache.set(key, meta);
    }
    return meta;
  }
}

/** Asks for the whole room as a fresh client and checks it holds exactly what was sent. */
export async function checkLateJoiner(
  server: RunningServer,
  wire: Wire,
  room: string,
  expected: Map<number, number>,
): Promise<string> {
  const ws = await openSocket(wire.url(server.url, room));
  try {
    // Everything up to the step 2: a large answer may come as updates first (Inkroom sends a big
    // board in pieces, the step 2 last).
    const updates = await new Promise<Uint8Array[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no sync step 2 within 10 s')), 10_000);
      const received: Uint8Array[] = [];
      ws.on('message', (data: Buffer) => {
        const read = wire.readUpdate(new Uint8Array(data));
        if (!read) return;
        received.push(read.update);
        if (read.step2) {
          clearTimeout(timer);
          resolve(received);
        }
      });
      for (const frame of wire.hello(room)) ws.send(frame);
    });
    const doc = new Y.Doc();
    for (const update of updates) Y.applyUpdate(doc, update);
    const wrong: string[] = [];
    for (const [client, clock] of expected) {
      const got = Y.getState(doc.store, client);
      if (got !== clock) wrong.push(`client ${client}: clock ${got}, sent ${clock}`);
    }
    doc.destroy();
    return wrong.length === 0 ? 'ok' : `mismatch (${wrong.slice(0, 3).join('; ')})`;
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  } finally {
    ws.terminate();
  }
}

/** A forked generator process and the messages it has sent back, awaited one at a time. */
class Generator {
  private readonly child: ChildProcess;
  private readonly inbox: FromWorker[] = [];
  private waiting: { type: FromWorker['type']; resolve: (message: FromWorker) => void } | null = null;
  private failure: Error | null = null;

  constructor() {
    // Under tsx, the child inherits its loader through execArgv.
    this.child = fork(fileURLToPath(new URL('./traffic-worker.ts', import.meta.url)), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: FromWorker) => {
      if (this.waiting?.type === message.type) {
        const { resolve } = this.waiting;
        this.waiting = null;
        resolve(message);
      } else this.inbox.push(message);
    });
    this.child.on('exit', (code) => {
      this.failure = new Error(`a traffic generator process exited with code ${code}`);
      this.waiting?.resolve(null as never);
    });
  }

  send(message: ToWorker): void {
    this.child.send(message);
  }

  async next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    const queued = this.inbox.findIndex((message) => message.type === type);
    if (queued >= 0) return this.inbox.splice(queued, 1)[0] as Extract<FromWorker, { type: T }>;
    if (this.failure) throw this.failure;
    const message = await new Promise<FromWorker>((resolve) => {
      this.waiting = { type, resolve };
    });
    if (!message) throw this.failure!;
    return message as Extract<FromWorker, { type: T }>;
  }

  kill(): void {
    this.child.kill();
  }
}

/**
 * Runs one traffic load against a started server for `durationMs`, then drains. The clients are
 * dealt out over `generators` processes (a room's clients take them in turn), so receiving what
 * the server relays is not held up by one generator's event loop.
 */
export async function runTraffic(
  server: RunningServer,
  load: TrafficLoad,
  durationMs: number,
  generators: number,
): Promise<TrafficResult> {
  const wire = WIRES[server.spec.dialect];
  const perSender = Math.ceil((load.rate * durationMs) / 1000) + 1;
  const shares: PlannedClient[][] = Array.from({ length: generators }, () => []);
  const roomSeeds: Record<string, number[]> = {};
  let senders = 0;
  let planned = 0;
  for (let r = 0; r < load.rooms; r++) {
    const room = `bench-${load.name}-${r}`;
    roomSeeds[room] = [];
    for (let c = 0; c < load.clientsPerRoom; c++) {
      const seed = c < load.sendersPerRoom ? 1_000_000 + r * load.sendersPerRoom + c : null;
      if (seed !== null) roomSeeds[room].push(seed);
      // Over several server processes, a room's clients take them in turn too.
      const url = wire.url(server.urls[planned % server.urls.length]!, room);
      shares[planned % generators]!.push({ room, url, seed, senderIndex: seed === null ? null : senders++ });
      planned++;
    }
  }
  const processes = shares.map(() => new Generator());
  try {
    await Promise.all(
      processes.map((generator, g) => {
        const clients = shares[g]!;
        const rooms = new Set(clients.map((client) => client.room));
        generator.send({
          type: 'setup',
          dialect: server.spec.dialect,
          clients,
          roomSeeds: Object.fromEntries([...rooms].map((room) => [room, roomSeeds[room]!])),
          perSender,
        });
        return generator.next('ready');
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const cpu = server.processes.map(({ name, pid }) => ({ name, window: new CpuWindow(pid) }));
    const startAt = performance.timeOrigin + performance.now() + 50;
    for (const generator of processes)
      generator.send({ type: 'start', startAt, durationMs, rate: load.rate, senders });
    const sentReports = await Promise.all(processes.map((generator) => generator.next('sent')));
    const processCpuPercent = Object.fromEntries(cpu.map(({ name, window }) => [name, window.percent()]));
    const endAt = Math.max(...sentReports.map((report) => report.endedAt));
    const windowSec = (endAt - startAt) / 1000;
    const serverCpuPercent = Object.values(processCpuPercent).reduce((sum, percent) => sum + percent, 0);
    const sentBy: Record<number, number> = Object.assign({}, ...sentReports.map((report) => report.sent));
    const sendTimes = new Map<number, Float64Array>(
      sentReports.flatMap((report) =>
        Object.entries(report.sendTimes).map(([id, times]) => [Number(id), times]),
      ),
    );
    const sent = Object.values(sentBy).reduce((sum, count) => sum + count, 0);

    const deadline = performance.timeOrigin + performance.now() + 10_000;
    for (const generator of processes) generator.send({ type: 'drain', sent: sentBy, deadline });
    const drained = await Promise.all(processes.map((generator) => generator.next('drained')));

    const latencies = new Samples();
    let windowDeliveries = 0;
    for (const { receipts } of drained) {
      for (let k = 0; k < receipts.length; k += 3) {
        const sentAt = sendTimes.get(receipts[k]!)?.[receipts[k + 1]!] ?? 0;
        if (sentAt === 0) continue;
        const at = receipts[k + 2]!;
        latencies.push(at - sentAt);
        if (at <= endAt) windowDeliveries++;
      }
    }
    const deliveries = drained.reduce((sum, report) => sum + report.deliveries, 0);
    const expected = drained.reduce((sum, report) => sum + report.expected, 0);

    let lateJoiner = 'n/a';
    if (server.spec.crdt) {
      // The first room's senders: what each sent, as the clock a joiner must hold.
      const room = `bench-${load.name}-0`;
      const expectedClocks = new Map<number, number>();
      for (const seed of roomSeeds[room]!) {
        const script = senderScript(seed, perSender);
        expectedClocks.set(seed, script.startClock[sentBy[seed] ?? 0] ?? script.endClock);
      }
      lateJoiner = await checkLateJoiner(server, wire, room, expectedClocks);
    }
    const sorted = latencies.sorted();
    const utilizations = sentReports.map((report) => report.eventLoopUtilization);
    return {
      sentPerSec: sent / windowSec,
      deliveredPerSec: windowDeliveries / windowSec,
      deliveryRatio: expected > 0 ? deliveries / expected : Number.NaN,
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
      },
      serverCpuPercent,
      processCpuPercent,
      serverPeakRssMB: server.processes.reduce((sum, { pid }) => sum + peakRssBytes(pid), 0) / 2 ** 20,
      generators,
      generatorCpuPercent: sentReports.reduce((sum, report) => sum + report.cpuMs, 0) / 10 / windowSec,
      generatorEventLoopUtilization: Math.max(...utilizations),
      generatorLimited: utilizations.some((utilization) => utilization > 0.9),
      lateJoiner,
    };
  } finally {
    for (const generator of processes) generator.kill();
  }
}
