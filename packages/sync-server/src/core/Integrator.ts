import { CloseCode, ProtocolError } from '@inkroom/shared';
import { UpdateSlicer } from './UpdateSlicer.js';
import type { UpdateShape } from './update-shape.js';

/** An update still to be read, a step at a time (`readUpdateShape`). */
export type UnreadUpdate = Iterator<void, UpdateShape, void>;

/**
 * Pieces start at this many units (structs or delete ranges) and adapt to their target time, up to
 * a ceiling: an update can put costly structs after cheap ones, so a size learnt on the cheap ones
 * must not be large enough to hold many of the costly.
 */
const FIRST_SLICE_UNITS = 64;
const MAX_SLICE_UNITS = 512;
/** A socket's integration time may run this many seconds ahead of its rate. */
const BURST_SECONDS = 10;

export interface IntegratorOptions<S> {
  /** What one piece aims to take, in ms. */
  readonly sliceMs: number;
  /** Integration time a sender may use, ms a second on average. */
  readonly msPerSecond: number;
  /**
   * Integrates one piece. Returns true when the rest of its update should be integrated whole:
   * the piece left structs waiting for others later in the update, and Yjs retries everything
   * waiting at each later piece, which would make pieces cost more than the whole. Throws to
   * refuse it.
   */
  readonly apply: (piece: Uint8Array, sender: S) => boolean;
  /**
   * An update submitted unread is now wholly read, none of it integrated yet: throws to refuse it
   * (as `apply` does).
   */
  readonly accept: (shape: UpdateShape, sender: S) => void;
  /** A piece integrated in turns was refused, or its sender used up its time: drop what it sent. */
  readonly refuse: (sender: S, error: unknown) => void;
  /** Everything submitted is integrated. */
  readonly idle: () => void;
  /** One piece took more than ten times `sliceMs` (Yjs's cost depends on the document too). */
  readonly slow: (ms: number, units: number) => void;
  readonly now: () => number;
  readonly defer: (task: () => void) => void;
}

interface Job<S> {
  readonly sender: S;
  /** The update while it is still being read; its pieces come from `slicer` once it is read. */
  reading: UnreadUpdate | null;
  slicer: UpdateSlicer | null;
  /** Integrate what is left in one piece (see IntegratorOptions.apply). */
  whole: boolean;
  /** Not charged for its time (the operator's imports, the room's own stored content). */
  readonly trusted: boolean;
}

/** A sender's integration time left, refilled at its rate. */
interface Allowance {
  ms: number;
  at: number;
}

/**
 * Integrates a room's updates in pieces, so that no update, however large or however arranged,
 * holds the event loop for much longer than `sliceMs`. An update that fits in one piece while
 * nothing waits is integrated at once (what editing sends). A larger one is cut
 * ({@link UpdateSlicer}) and integrated a piece per turn, senders taking turns, so other rooms
 * and the room's other people are served in between; each piece's measured time sizes the next.
 * Each sender's integration time is counted; one past its share is refused before its next
 * piece (never after one: what was integrated stays integrated and is kept).
 */
export class Integrator<S extends object> {
  /** Waiting updates per sender; a Map's order makes the turns round-robin. */
  private readonly queues = new Map<S, Job<S>[]>();
  private readonly allowances = new WeakMap<S, Allowance>();
  /** An update integrated before any other, in pieces, and charged to nobody (see `prepend`). */
  private first: Job<S> | null = null;
  private sliceUnits = FIRST_SLICE_UNITS;
  private scheduled = false;
  /** Counts `clear` calls: a queue taken out for a step is not put back past one. */
  private clears = 0;

  constructor(private readonly options: IntegratorOptions<S>) {}

  /** True while updates wait to be integrated. */
  get busy(): boolean {
    return this.queues.size > 0 || this.first !== null;
  }

  /** True while the update given to `prepend` is not wholly integrated. */
  get preparing(): boolean {
    return this.first !== null;
  }

  /**
   * Integrates `update` in pieces before anything submitted, its pieces handed to `apply` as from
   * `sender` (the room's own stored content, when a write makes it a live doc).
   */
  prepend(update: UpdateShape | UnreadUpdate, sender: S): void {
    this.first = { sender, ...jobOf(update), whole: false, trusted: true };
    this.schedule();
  }

  /**
   * Integrates an update from `sender`, read already or to be read in turns (a large one: reading
   * it takes time too); `trusted` ones (the operator's) are not charged. Throws what `apply`
   * throws when integrated at once, and 4414 for a sender past its share of time; refusals of an
   * update read or integrated in turns go to `refuse`.
   */
  submit(update: UpdateShape | UnreadUpdate, sender: S, trusted = false): void {
    if (!trusted && this.remaining(sender) < 0) throw this.refusal();
    if (!('next' in update) && !this.busy && update.weight + update.deleteRanges <= this.sliceUnits) {
      const units = update.weight + update.deleteRanges;
      this.timed(sender, units, trusted, () => this.options.apply(update.bytes, sender));
      return;
    }
    let queue = this.queues.get(sender);
    if (!queue) {
      queue = [];
      this.queues.set(sender, queue);
    }
    queue.push({ sender, ...jobOf(update), whole: false, trusted });
    this.schedule();
  }

  /** Drops everything waiting (the room failed or was deleted). */
  clear(): void {
    this.queues.clear();
    this.first = null;
    this.clears++;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.options.defer(() => {
      this.scheduled = false;
      this.turn();
    });
  }

  /** One turn: pieces from each sender in turn, until the turn has taken `sliceMs`. */
  private turn(): void {
    const { now, sliceMs } = this.options;
    const started = now();
    while (this.first && now() - started < sliceMs) this.stepFirst(this.first);
    // Each step takes the sender at the head and puts it back at the tail, so a sender whose
    // pieces use up whole turns still lets every other sender have one piece between two of its own.
    while (!this.first && this.queues.size > 0) {
      const [sender, queue] = this.queues.entries().next().value!;
      this.queues.delete(sender);
      this.step(sender, queue);
      if (now() - started >= sliceMs) break;
    }
    if (this.busy) this.schedule();
    else this.options.idle();
  }

  private stepFirst(job: Job<S>): void {
    try {
      if (job.reading) {
        this.read(job);
        return;
      }
      const units = job.whole ? Number.POSITIVE_INFINITY : this.sliceUnits;
      const piece = job.slicer!.next(units);
      if (job.slicer!.done) this.first = null;
      this.timed(job.sender, units, true, () => this.options.apply(piece, job.sender), job);
    } catch (error) {
      this.first = null;
      this.queues.clear();
      this.options.refuse(job.sender, error);
    }
  }

  /** One step of the sender's first job, its queue taken out of `queues`: put back if jobs remain. */
  private step(sender: S, queue: Job<S>[]): void {
    const job = queue[0]!;
    const clears = this.clears;
    if (!job.trusted && this.remaining(sender) < 0) {
      this.options.refuse(sender, this.refusal());
      return;
    }
    try {
      if (job.reading) this.read(job);
      else {
        const units = job.whole ? Number.POSITIVE_INFINITY : this.sliceUnits;
        const piece = job.slicer!.next(units);
        if (job.slicer!.done) queue.shift();
        this.timed(sender, units, job.trusted, () => this.options.apply(piece, sender), job);
      }
    } catch (error) {
      this.options.refuse(sender, error);
      return;
    }
    if (queue.length > 0 && clears === this.clears) this.queues.set(sender, queue);
  }

  /** Reads a step of a job's update; once it is read, `accept` checks it and its pieces may start. */
  private read(job: Job<S>): void {
    const started = this.options.now();
    try {
      const step = job.reading!.next();
      if (!step.done) return;
      job.reading = null;
      this.options.accept(step.value, job.sender);
      job.slicer = new UpdateSlicer(step.value);
    } finally {
      if (!job.trusted) this.charge(job.sender, this.options.now() - started);
    }
  }

  /** Runs one piece, sizes the next from its time, and charges it to the sender. */
  private timed(sender: S, units: number, trusted: boolean, work: () => boolean, job?: Job<S>): void {
    const started = this.options.now();
    try {
      if (work() && job) job.whole = true;
    } finally {
      const ms = this.options.now() - started;
      if (ms > 10 * this.options.sliceMs) this.options.slow(ms, units);
      this.resize(units, ms);
      if (!trusted) this.charge(sender, ms);
    }
  }

  private resize(units: number, ms: number): void {
    const { sliceMs } = this.options;
    if (units < this.sliceUnits || !Number.isFinite(units)) return;
    if (ms > sliceMs) this.sliceUnits = Math.max(1, Math.floor((this.sliceUnits * sliceMs) / ms / 2));
    else if (ms < sliceMs / 4) this.sliceUnits = Math.min(MAX_SLICE_UNITS, this.sliceUnits * 2);
  }

  private get capacity(): number {
    return this.options.msPerSecond * BURST_SECONDS;
  }

  /** The sender's integration time left now (negative: over its share). */
  private remaining(sender: S): number {
    const allowance = this.allowances.get(sender);
    if (!allowance) return this.capacity;
    const at = this.options.now();
    allowance.ms = Math.min(
      this.capacity,
      allowance.ms + ((at - allowance.at) / 1000) * this.options.msPerSecond,
    );
    allowance.at = at;
    return allowance.ms;
  }

  private charge(sender: S, ms: number): void {
    const left = this.remaining(sender);
    this.allowances.set(sender, { ms: left - ms, at: this.options.now() });
  }

  private refusal(): ProtocolError {
    return new ProtocolError(
      CloseCode.UpdateTooCostly,
      `updates took more than ${this.capacity} ms to integrate, past ${this.options.msPerSecond} ms a second`,
    );
  }
}

function jobOf(update: UpdateShape | UnreadUpdate): Pick<Job<never>, 'reading' | 'slicer'> {
  return 'next' in update
    ? { reading: update, slicer: null }
    : { reading: null, slicer: new UpdateSlicer(update) };
}
