import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code. Given a room's stored updates (snapshot first): `snapshot` applies them to a
 * fresh Y.Doc and encodes it, which drops deleted content as a live doc's snapshot would; `diff`,
 * what they hold beyond a state vector; `merge`, them as one update; `stateVector`, theirs.
 * Inline, so it runs the same from the TypeScript sources and from the build; it loads the Yjs
 * the server uses.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
const merged = (updates) => (updates.length === 1 ? updates[0] : Y.mergeUpdates(updates));
parentPort.on('message', ({ id, op, updates, stateVector }) => {
  try {
    let result;
    if (op === 'diff') result = Y.diffUpdate(merged(updates), stateVector);
    else if (op === 'merge') result = merged(updates);
    else if (op === 'stateVector') result = Y.encodeStateVectorFromUpdate(merged(updates));
    else {
      const doc = new Y.Doc();
      for (const update of updates) Y.applyUpdate(doc, update);
      result = Y.encodeStateAsUpdate(doc);
      doc.destroy();
    }
    parentPort.postMessage({ id, result }, [result.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/** What the worker is asked to do with a room's stored updates (see WORKER_SOURCE). */
type Op = 'snapshot' | 'diff' | 'merge' | 'stateVector';

/** A worker with nothing to do for this long is stopped. */
const IDLE_MS = 30_000;

interface Job {
  resolve: (result: Uint8Array) => void;
  reject: (error: Error) => void;
}

/**
 * Reads large rooms' stored updates off the event loop: encoding a 50,000-element board takes about
 * 150 ms, reading a 100,000-element one's state vector about 800 ms, and the room's log is all
 * they need, not its live doc. One worker thread for the server,
 * started when a large room needs it and stopped after 30 s without work; it never keeps the
 * process alive.
 */
export class Compactor {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, Job>();
  private lastId = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  /** The snapshot of a log (snapshot first, then updates, all integrated). */
  snapshot(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    if (updates.length === 1) return Promise.resolve(updates[0]!);
    return this.run('snapshot', updates);
  }

  /** What a log holds beyond `stateVector` (a sync step 2 for a peer at that state). */
  diff(updates: readonly Uint8Array[], stateVector: Uint8Array): Promise<Uint8Array> {
    return this.run('diff', updates, stateVector);
  }

  /** A log's updates merged into one (as `Y.mergeUpdates`). */
  merge(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    if (updates.length === 1) return Promise.resolve(updates[0]!);
    return this.run('merge', updates);
  }

  /** A log's state vector (as `Y.encodeStateVectorFromUpdate`). */
  stateVector(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    return this.run('stateVector', updates);
  }

  private run(op: Op, updates: readonly Uint8Array[], stateVector?: Uint8Array): Promise<Uint8Array> {
    const worker = this.start();
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, op, updates, stateVector });
    });
  }

  /** Stops the worker; compactions still running are refused. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    this.fail(new Error('the server is shutting down'));
    await worker?.terminate();
  }

  /** Stops a worker idle since its last job: its memory goes back until the next large room. */
  private async stopIdle(worker: Worker): Promise<void> {
    if (this.worker !== worker || this.jobs.size > 0) return;
    this.worker = null;
    await worker.terminate();
  }

  private start(): Worker {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.worker) return this.worker;
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { yjs },
      // The same small young generation as the server's own thread (see cli.ts).
      resourceLimits: { maxYoungGenerationSizeMb: 6 },
    });
    worker.on('message', ({ id, result, error }: { id: number; result?: Uint8Array; error?: string }) => {
      const job = this.jobs.get(id);
      this.jobs.delete(id);
      if (this.jobs.size === 0) {
        worker.unref();
        this.idleTimer = setTimeout(() => void this.stopIdle(worker), IDLE_MS).unref();
      }
      if (!job) return;
      if (result) job.resolve(result);
      else job.reject(new Error(`the worker failed: ${error}`));
    });
    worker.on('error', (error) => {
      this.worker = null;
      this.fail(error);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private fail(error: Error): void {
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
  }
}
