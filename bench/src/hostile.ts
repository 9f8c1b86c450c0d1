/**
 * What one hostile or heavy client costs everyone else, Inkroom beside the reference server, in
 * one run: the worst delay of a bystander room while a crafted update is sent elsewhere, the
 * memory a busy room adds, and what a burst of bad input leaves behind.
 *
 *   pnpm --filter @inkroom/bench hostile [--runs 3] [--servers inkroom,inkroom-plain,reference+leveldb]
 *     [--before <another checkout, built>]   adds `inkroom-before`: that build, as `node dist/cli.js`
 *     [--only <words>]   only the crafted updates whose names hold one of these words, and the
 *                        stored board with `stored` (memory still runs)
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addElement, createBoardDoc, pointsFrom } from '@inkroom/shared';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  ascendingSplits,
  concurrentInserts,
  descendingDeletes,
  hugeDeclaredCount,
  manyStructs,
  rescanningDeletes,
} from '../../tests/helpers/crafted-updates.js';
import { rssBytes } from './proc.js';
import { type RunningServer, SERVERS, type ServerSpec, startServer } from './servers.js';
import { median } from './stats.js';
import { senderScript } from './updates.js';

/** Inkroom started as `node dist/cli.js`, without the Node flags of the bin's first line. */
const PLAIN_INKROOM: ServerSpec = {
  ...SERVERS.find((spec) => spec.name === 'inkroom')!,
  name: 'inkroom-plain',
  command: (port, dataDir) => {
    const { args, env } = SERVERS.find((spec) => spec.name === 'inkroom')!.command(port, dataDir);
    return { args: args.filter((arg) => !arg.startsWith('--max-semi-space-size')), env };
  },
};

/** Inkroom built from another checkout (`--before <dir>`), started as `node dist/cli.js`. */
function inkroomAt(dir: string): ServerSpec {
  return {
    ...PLAIN_INKROOM,
    name: 'inkroom-before',
    command: (port, dataDir) => {
      const { args, env } = PLAIN_INKROOM.command(port, dataDir);
      const cli = args.findIndex((arg) => arg.endsWith('dist/cli.js'));
      return {
        args: args.map((arg, i) => (i === cli ? join(dir, 'packages/sync-server/dist/cli.js') : arg)),
        env,
      };
    },
  };
}

const SPECS = [...SERVERS, PLAIN_INKROOM];

function frame(type: number, sub: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (sub !== null) encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
const updateFrame = (update: Uint8Array) => frame(0, 2, update);

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { maxPayload: 256 * 2 ** 20 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = 2 ** 20;

/** Pings through one room every 50 ms; `worst` is the longest one took to come back. */
async function bystander(server: RunningServer) {
  const sender = await open(`${server.url}/bystander`);
  const receiver = await open(`${server.url}/bystander`);
  const doc = new Y.Doc();
  doc.on('update', (update: Uint8Array) => sender.send(updateFrame(update)));
  const sent = new Map<number, number>();
  let worst = 0;
  let seq = 0;
  receiver.on('message', (data: Buffer) => {
    const mark = Buffer.from('ping:');
    for (let at = data.indexOf(mark); at >= 0; at = data.indexOf(mark, at + 1)) {
      const n = Number.parseInt(data.subarray(at + 5, at + 17).toString(), 10);
      const t = sent.get(n);
      if (t !== undefined) {
        worst = Math.max(worst, performance.now() - t);
        sent.delete(n);
      }
    }
  });
  const timer = setInterval(() => {
    sent.set(++seq, performance.now());
    doc.getMap('ping').set('mark', `ping:${seq};`);
  }, 50);
  return {
    reset: () => {
      worst = 0;
    },
    /** The worst delay so far, counting pings still on their way. */
    worst: () => Math.max(worst, ...[...sent.values()].map((t) => performance.now() - t)),
    settled: () => sent.size === 0,
    stop: () => {
      clearInterval(timer);
      sender.close();
      receiver.close();
    },
  };
}

const CLASSES: [string, () => Uint8Array][] = [
  ['a million one-character inserts, 1,000 client ids', () => manyStructs()],
  ['quadratic concurrent inserts', () => concurrentInserts()],
  ['delete set naming the same structs 5,000 times', () => rescanningDeletes()],
  ['60,000 descending single deletes', () => descendingDeletes()],
  ['header declaring 2^32-1 structs', () => hugeDeclaredCount()],
  ['60,000 ascending single deletes', () => ascendingSplits()],
  ['a 50,000-element paste (legitimate, 7.7 MB)', () => paste(50_000)],
];

/** `count` strokes of 24 points added in one transaction, as one update. */
function paste(count: number): Uint8Array {
  const doc = createBoardDoc();
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const points = pointsFrom(Array.from({ length: 24 }, (_, j) => [(i % 300) + j, j * 2, 0.5]));
      addElement(doc, { kind: 'stroke', x: i % 1000, y: Math.floor(i / 1000) * 20, points });
    }
  });
  return Y.encodeStateAsUpdate(doc, before);
}

/** Worst bystander delay while `update` is sent to another room (up to 30 s). */
async function stallOf(
  server: RunningServer,
  room: string,
  update: Uint8Array,
): Promise<{ ms: number; closed: number }> {
  const watch = await bystander(server);
  await sleep(300);
  watch.reset();
  const attacker = await open(`${server.url}/${room}`);
  let closed = 0;
  const done = new Promise<void>((resolve) =>
    attacker.once('close', (code) => {
      closed = code;
      resolve();
    }),
  );
  attacker.send(updateFrame(update));
  // Until the attacker is closed, or the server answers pings again for a whole second.
  const started = performance.now();
  let quietSince = performance.now();
  while (performance.now() - started < 30_000) {
    await Promise.race([done, sleep(100)]);
    if (!watch.settled()) quietSince = performance.now();
    if (closed || performance.now() - quietSince > 1000) break;
  }
  await sleep(300);
  const ms = watch.worst();
  watch.stop();
  attacker.close();
  return { ms, closed };
}

/** Resolves true once a socket has received `bytes` of document content (sync step 2 and updates). */
function contentOf(ws: WebSocket, bytes: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let received = 0;
    const timer = setTimeout(() => done(false), timeoutMs);
    const onMessage = (data: Buffer) => {
      if (data[0] === 0 && data[1] !== 0) received += data.length;
      if (received >= bytes) done(true);
    };
    const done = (found: boolean) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(found);
    };
    ws.on('message', onMessage);
  });
}

/**
 * Worst bystander delay while people come back to a stored board of `count` strokes (stored by a
 * paste, then the server restarted): one opens it and asks for all of it, as a stock client does,
 * and one makes the first write, which the first sees relayed.
 */
async function storedBoardStall(spec: ServerSpec, count: number): Promise<number> {
  const board = paste(count);
  let server = await startServer(spec);
  const watcher = await open(`${server.url}/stored`);
  const relayed = contentOf(watcher, board.length * 0.9, 60_000);
  const filler = await open(`${server.url}/stored`);
  filler.send(updateFrame(board));
  // Stored once relayed (Inkroom relays what is durable); then time for the reference's
  // persistence to write.
  if (!(await relayed)) throw new Error(`${spec.name}: the ${count}-stroke board was not stored`);
  watcher.close();
  await sleep(1000);
  filler.close();
  await sleep(1000);
  server = await server.restart();
  const watch = await bystander(server);
  await sleep(300);
  watch.reset();
  const reader = await open(`${server.url}/stored`);
  const whole = contentOf(reader, board.length * 0.9, 30_000);
  const marked = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 30_000);
    reader.on('message', (data: Buffer) => {
      if (data.includes('first-write-mark')) {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
  reader.send(frame(0, 0, new Uint8Array([0])));
  const writer = await open(`${server.url}/stored`);
  const doc = new Y.Doc();
  doc.getMap('meta').set('touched', 'first-write-mark');
  writer.send(updateFrame(Y.encodeStateAsUpdate(doc)));
  const [gotAll, gotWrite] = await Promise.all([whole, marked]);
  await sleep(300);
  const ms = watch.worst();
  watch.stop();
  reader.close();
  writer.close();
  await server.dispose();
  if (!gotAll || !gotWrite) throw new Error(`${spec.name}: the stored board or its write did not come`);
  return ms;
}

/** RSS growth while one room takes 200 updates of ~1 KB a second for 20 s, four senders, four receivers. */
async function busyRoom(server: RunningServer): Promise<number> {
  const scripts = [1, 2, 3, 4].map((i) => senderScript(7000 + i, 1000, 300));
  const senders = await Promise.all(scripts.map(() => open(`${server.url}/busy`)));
  const receivers = await Promise.all(scripts.map(() => open(`${server.url}/busy`)));
  await sleep(1000);
  const before = rssBytes(server.pid);
  let peak = before;
  for (let tick = 0; tick < 20 * 50; tick++) {
    // 50 ticks a second, one update from each of the four senders each tick: 200 a second.
    scripts.forEach((script, i) => {
      senders[i]!.send(updateFrame(script.updates[tick % script.updates.length]!));
    });
    if (tick % 10 === 0) peak = Math.max(peak, rssBytes(server.pid));
    await sleep(20);
  }
  await sleep(2000);
  peak = Math.max(peak, rssBytes(server.pid));
  for (const ws of [...senders, ...receivers]) ws.close();
  return (peak - before) / MiB;
}

/** RSS left after about 5,000 bad inputs, 5 s after the last. */
async function badInput(server: RunningServer): Promise<number> {
  await sleep(500);
  const before = rssBytes(server.pid);
  const sendAndClose = async (room: string, data: Uint8Array | string) => {
    try {
      const ws = await open(`${server.url}/${room}`);
      ws.send(data);
      await sleep(5);
      ws.terminate();
    } catch {
      // refused at once: fine
    }
  };
  for (let i = 0; i < 2000; i++) await sendAndClose('bad', randomBytes(1 + (i % 200)));
  await sendAndClose('bad', frame(1, null, randomBytes(5 * MiB)));
  await sendAndClose('bad', randomBytes(64 * MiB));
  const pending = await open(`${server.url}/pending`);
  for (let i = 0; i < 3000; i++) {
    const doc = new Y.Doc();
    doc.clientID = 50_000 + i;
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    doc.getText('t').insert(0, 'x');
    doc.getText('t').insert(1, 'y'.repeat(100));
    // The second update alone: its dependency never arrives.
    pending.send(updateFrame(updates[1]!));
  }
  pending.terminate();
  for (const room of ['%00', '..', 'x'.repeat(300), '%E0%A4%A']) await sendAndClose(room, 'hi');
  for (let i = 0; i < 500; i++) await sendAndClose(`churn-${i % 20}`, new Uint8Array([0, 0, 1, 0]));
  await sleep(5000);
  return (rssBytes(server.pid) - before) / MiB;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      servers: { type: 'string', default: 'inkroom,inkroom-plain,reference+leveldb' },
      before: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  if (values.before) SPECS.push(inkroomAt(values.before));
  const specs = values.servers.split(',').map((name) => {
    const spec = SPECS.find((s) => s.name === name);
    if (!spec) throw new Error(`unknown server ${name}`);
    return spec;
  });
  const only = values.only?.split(',');
  const table: Record<string, Record<string, number[]>> = {};
  const add = (row: string, server: string, value: number) => {
    const byServer = table[row] ?? {};
    table[row] = byServer;
    const values = byServer[server] ?? [];
    byServer[server] = values;
    values.push(value);
  };
  for (let run = 0; run < runs; run++) {
    for (const spec of specs) {
      for (const [name, make] of CLASSES) {
        if (only && !only.some((word) => name.includes(word))) continue;
        const server = await startServer(spec);
        const { ms, closed } = await stallOf(server, `attack-${run}`, make());
        add(`stall: ${name} (ms)`, spec.name, ms);
        process.stderr.write(`${spec.name} ${name}: ${Math.round(ms)} ms, close ${closed}\n`);
        await server.dispose();
      }
      if (!only || only.some((word) => 'stored'.includes(word))) {
        const ms = await storedBoardStall(spec, 50_000);
        add('stall: a stored 50,000-element board opened, then first written (ms)', spec.name, ms);
        process.stderr.write(`${spec.name} stored board: ${Math.round(ms)} ms\n`);
      }
      const busy = await startServer(spec);
      add('busy room: RSS growth (MiB)', spec.name, await busyRoom(busy));
      await busy.dispose();
      const bad = await startServer(spec);
      add('bad input: RSS left (MiB)', spec.name, await badInput(bad));
      await bad.dispose();
    }
  }
  const names = specs.map((s) => s.name);
  const lines = [`| | ${names.join(' | ')} |`, `|---|${names.map(() => '---').join('|')}|`];
  for (const [row, byServer] of Object.entries(table)) {
    lines.push(
      `| ${row} | ${names.map((n) => (byServer[n] ? median(byServer[n]).toFixed(0) : '')).join(' | ')} |`,
    );
  }
  process.stdout.write(`medians of ${runs} run(s)\n${lines.join('\n')}\n`);
}

await main();
