import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CpuWindow, peakRssBytes } from './proc.js';
import type { RunningServer } from './servers.js';
import { percentile, Samples } from './stats.js';
import { type SenderScript, senderScript, updateIndexAt } from './updates.js';
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
  generatorCpuPercent: number;
  generatorEventLoopUtilization: number;
  /** True when the generator itself was the bottleneck: the figures then understate the server. */
  generatorLimited: boolean;
  /** 'ok', 'n/a' (no CRDT), or what a late-joining client got wrong. */
  lateJoiner: string;
}

interface Client {
  ws: WebSocket;
  room: string;
  /** The sender script this client sends, if it is a sender. */
  script: SenderScript | null;
  /** Per sender client id: which of its updates this client has received. */
  seen: Map<number, Uint8Array>;
  /** How many of its script's updates it has sent. */
  sent: number;
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
class MetaCache {
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

/** Runs one traffic load against a started server for `durationMs`, then drains. */
export async function runTraffic(
  server: RunningServer,
  load: TrafficLoad,
  durationMs: number,
): Promise<TrafficResult> {
  const wire = WIRES[server.spec.dialect];
  const perSender = Math.ceil((load.rate * durationMs) / 1000) + 1;
  const clients: Client[] = [];
  const scripts = new Map<number, SenderScript>();
  const urls: string[] = [];
  for (let r = 0; r < load.rooms; r++) {
    const room = `bench-${load.name}-${r}`;
    for (let c = 0; c < load.clientsPerRoom; c++) {
      let script: SenderScript | null = null;
      if (c < load.sendersPerRoom) {
        script = senderScript(1_000_000 + r * load.sendersPerRoom + c, perSender);
        scripts.set(script.clientId, script);
      }
      clients.push({ ws: null as unknown as WebSocket, room, script, seen: new Map(), sent: 0 });
      // Over several processes, a room's clients take them in turn.
      urls.push(wire.url(server.urls[urls.length % server.urls.length]!, room));
    }
  }
  const sockets = await openMany(urls);
  const sendTimes = new Map<number, Float64Array>();
  for (const script of scripts.values()) sendTimes.set(script.clientId, new Float64Array(perSender));
  const latencies = new Samples();
  const meta = new MetaCache();
  let deliveries = 0;
  let windowDeliveries = 0;
  let measuring = false;

  clients.forEach((client, index) => {
    client.ws = sockets[index]!;
    client.ws.on('message', (data: Buffer) => {
      const read = wire.readUpdate(data);
      if (!read) return;
      const now = performance.now();
      const { from, to } = meta.get(read.update);
      for (const [clientId, fromClock] of from) {
        const script = scripts.get(clientId);
        if (!script || script === client.script) continue;
        let seen = client.seen.get(clientId);
        if (!seen) {
          seen = new Uint8Array(perSender);
          client.seen.set(clientId, seen);
        }
        const times = sendTimes.get(clientId)!;
        const last = updateIndexAt(script, (to.get(clientId) ?? fromClock) - 1);
        for (let i = updateIndexAt(script, fromClock); i <= last; i++) {
          if (seen[i] || times[i] === 0) continue;
          seen[i] = 1;
          deliveries++;
          if (measuring) windowDeliveries++;
          latencies.push(now - times[i]!);
        }
      }
    });
    for (const frame of wire.hello(client.room)) client.ws.send(frame);
  });
  await new Promise((resolve) => setTimeout(resolve, 500));

  // Every sender's sends, spread evenly over each second.
  const senders = clients.filter((c) => c.script);
  const events: { at: number; client: Client; index: number }[] = [];
  senders.forEach((client, k) => {
    for (let i = 0; i < perSender - 1; i++) {
      events.push({ at: ((i + k / senders.length) * 1000) / load.rate, client, index: i });
    }
  });
  events.sort((a, b) => a.at - b.at);

  const cpu = server.processes.map(({ name, pid }) => ({ name, window: new CpuWindow(pid) }));
  const genCpuStart = process.cpuUsage();
  const eluStart = performance.eventLoopUtilization();
  const start = performance.now();
  measuring = true;
  let next = 0;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      while (next < events.length && events[next]!.at <= elapsed) {
        const { client, index } = events[next++]!;
        const script = client.script!;
        sendTimes.get(script.clientId)![index] = performance.now();
        client.ws.send(wire.update(client.room, script.updates[index]!));
        client.sent = index + 1;
        sent++;
      }
      if (elapsed >= durationMs || next >= events.length) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const windowSec = (performance.now() - start) / 1000;
  measuring = false;
  const processCpuPercent = Object.fromEntries(cpu.map(({ name, window }) => [name, window.percent()]));
  const serverCpuPercent = Object.values(processCpuPercent).reduce((sum, percent) => sum + percent, 0);
  const genCpu = process.cpuUsage(genCpuStart);
  const elu = performance.eventLoopUtilization(eluStart);
  const generatorCpuPercent = ((genCpu.user + genCpu.system) / 1e6 / windowSec) * 100;

  const expected = sent * (load.clientsPerRoom - 1);
  const drainDeadline = performance.now() + 10_000;
  while (deliveries < expected && performance.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  let lateJoiner = 'n/a';
  if (server.spec.crdt) {
    const room = clients[0]!.room;
    const expectedClocks = new Map<number, number>();
    for (const client of clients) {
      if (client.room !== room || !client.script) continue;
      const script = client.script;
      expectedClocks.set(script.clientId, script.startClock[client.sent] ?? script.endClock);
    }
    lateJoiner = await checkLateJoiner(server, wire, room, expectedClocks);
  }
  const sorted = latencies.sorted();
  const result: TrafficResult = {
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
    generatorCpuPercent,
    generatorEventLoopUtilization: elu.utilization,
    generatorLimited: elu.utilization > 0.9,
    lateJoiner,
  };
  for (const client of clients) client.ws.terminate();
  return result;
}
