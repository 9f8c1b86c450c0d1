import * as encoding from 'lib0/encoding';
import type { StructRun, UpdateShape } from './update-shape.js';

/** What a delete range takes, about: a client's clock and length, two varints. */
const DELETE_RANGE_BYTES = 4;

/**
 * Cuts an update into updates of at most `size` units each (a struct or a delete range is a
 * unit), in the update's own order: structs first, client by client, then delete ranges.
 * Applied one after another they integrate to what the whole would; a piece whose structs
 * depend on a later piece waits in Yjs's pending store until it arrives.
 */
export class UpdateSlicer {
  /** Position in the runs as ordered, counted in structs. */
  private struct = 0;
  private range = 0;
  private readonly order: readonly StructRun[];
  /** Where each run of `order` starts, counted in structs. */
  private readonly offsets: number[] = [];

  constructor(private readonly shape: UpdateShape) {
    this.order = dependencyOrder(shape.runs);
    let offset = 0;
    for (const run of this.order) {
      this.offsets.push(offset);
      offset += run.count;
    }
  }

  get done(): boolean {
    return this.struct >= this.shape.structs && this.range >= this.shape.deleteRanges;
  }

  /**
   * How many units from here take about `bytes` (at least one): structs by their own sizes, delete
   * ranges at a few bytes each.
   */
  unitsWithin(bytes: number): number {
    const shape = this.shape;
    let units = 0;
    let left = bytes;
    for (let i = 0; i < this.order.length && this.struct + units < shape.structs; i++) {
      const run = this.order[i]!;
      const start = this.offsets[i]!;
      const end = start + run.count;
      const from = Math.max(start, this.struct + units);
      if (from >= end) continue;
      // Where unit `unit` of this run starts in the bytes (its end, for one past the last).
      const at = (unit: number) => (unit === end ? run.end : shape.structStart[run.first + unit - start]!);
      const base = at(from);
      if (at(end) - base <= left) {
        left -= at(end) - base;
        units += end - from;
        continue;
      }
      // The most units of this run that still fit, by bisection.
      let lo = from;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (at(mid) - base <= left) lo = mid;
        else hi = mid - 1;
      }
      return Math.max(1, units + lo - from);
    }
    return Math.max(1, units + Math.floor(left / DELETE_RANGE_BYTES));
  }

  /** Whether the rest fits in `size` units (the next slice would be the last). */
  private restFits(size: number): boolean {
    return this.shape.structs - this.struct + this.shape.deleteRanges - this.range <= size;
  }

  /** The next piece of at most `size` units; the whole update when it all fits in one. */
  next(size: number): Uint8Array {
    const shape = this.shape;
    if (this.struct === 0 && this.range === 0 && this.restFits(size)) {
      this.struct = shape.structs;
      this.range = shape.deleteRanges;
      return shape.bytes;
    }
    const encoder = encoding.createEncoder();
    let budget = size;
    const structEnd = Math.min(shape.structs, this.struct + budget);
    const parts: [run: StructRun, from: number, to: number][] = [];
    this.order.forEach((run, i) => {
      const start = this.offsets[i]!;
      const a = Math.max(start, this.struct);
      const b = Math.min(start + run.count, structEnd);
      if (a < b) parts.push([run, run.first + a - start, run.first + b - start]);
    });
    encoding.writeVarUint(encoder, parts.length);
    for (const [run, from, to] of parts) {
      encoding.writeVarUint(encoder, to - from);
      encoding.writeVarUint(encoder, run.client);
      encoding.writeVarUint(encoder, shape.structClock[from]!);
      const end = to === run.first + run.count ? run.end : shape.structStart[to]!;
      encoding.writeUint8Array(encoder, shape.bytes.subarray(shape.structStart[from]!, end));
    }
    budget -= structEnd - this.struct;
    this.struct = structEnd;
    const rangeEnd = Math.min(shape.deleteRanges, this.range + budget);
    const entries = shape.deletes.filter(
      (entry) => entry.first + entry.count > this.range && entry.first < rangeEnd,
    );
    encoding.writeVarUint(encoder, entries.length);
    for (const entry of entries) {
      const from = Math.max(entry.first, this.range);
      const to = Math.min(entry.first + entry.count, rangeEnd);
      encoding.writeVarUint(encoder, entry.client);
      encoding.writeVarUint(encoder, to - from);
      const end = to === entry.first + entry.count ? entry.end : shape.rangeStart[to]!;
      encoding.writeUint8Array(encoder, shape.bytes.subarray(shape.rangeStart[from]!, end));
    }
    this.range = rangeEnd;
    return encoding.toUint8Array(encoder);
  }
}

/**
 * The runs ordered so that a client's structs come after those of the clients they point at,
 * where the update holds those (Yjs writes clients in descending id order, which says nothing of
 * who edited whose items). Pieces in this order integrate without waiting for later ones, unless
 * two clients point at each other; then the update's own order settles the rest.
 */
function dependencyOrder(runs: readonly StructRun[]): StructRun[] {
  const byClient = new Map(runs.map((run) => [run.client, run]));
  const placed = new Set<StructRun>();
  const order: StructRun[] = [];
  const visiting = new Set<StructRun>();
  // Depth first, iteratively: a run goes once every run it points at has gone (or is on the path).
  for (const root of runs) {
    if (placed.has(root)) continue;
    const stack: [StructRun, Iterator<number>][] = [[root, root.refs.values()]];
    visiting.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const step = top[1].next();
      if (step.done) {
        stack.pop();
        visiting.delete(top[0]);
        placed.add(top[0]);
        order.push(top[0]);
        continue;
      }
      const dependency = byClient.get(step.value);
      if (!dependency || placed.has(dependency) || visiting.has(dependency)) continue;
      visiting.add(dependency);
      stack.push([dependency, dependency.refs.values()]);
    }
  }
  return order;
}
