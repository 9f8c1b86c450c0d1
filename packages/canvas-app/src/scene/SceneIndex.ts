import {
  type BoardElement,
  type Bounds,
  boundTargets,
  compareOrder,
  type ElementId,
  type ElementsDiff,
  elementBounds,
  isBindable,
  keysAt,
  type OrderKey,
  observeElements,
  type Point,
  resolveBindings,
  resolveFrame,
} from '@inkroom/shared';
import RBush from 'rbush';
import type * as Y from 'yjs';
import { hitElement, insideShape } from '../model/hit-test.js';

/** A change to the scene as records, with the removed elements as they were (see SceneIndex.onDiff). */
export type SceneDiffListener = (diff: ElementsDiff, removed: ReadonlyMap<ElementId, BoardElement>) => void;
/** Changes touching more elements than this (and a good share of the board) rebuild the index. */
const BULK_THRESHOLD = 500;
const EMPTY: ReadonlySet<ElementId> = new Set();

/**
 * One element as the index holds it: its snapshot as drawn (in board coordinates when it belongs
 * to a frame; a line's or arrow's bound ends on their targets), its box, and a version for caches.
 */
export interface SceneEntry extends Bounds {
  readonly id: ElementId;
  element: BoardElement;
  version: number;
}

/**
 * The board's elements, read once from the Y.Doc and kept current by observing it, in an R-tree
 * for culling and hit-testing: painting or picking touches only what is near, whatever the size
 * of the board.
 */
export class SceneIndex {
  private readonly tree = new RBush<SceneEntry>();
  private readonly entries = new Map<ElementId, SceneEntry>();
  /** The members of each group, by group id. */
  private readonly groups = new Map<string, Set<ElementId>>();
  /** Lines and arrows with a bound end, as stored (their entries hold them as drawn). */
  private readonly bound = new Map<ElementId, BoardElement>();
  /** The lines and arrows bound to each element, by its id. */
  private readonly boundTo = new Map<ElementId, Set<ElementId>>();
  /** Frames' members as stored (relative to their frame; their entries hold them on the board). */
  private readonly framed = new Map<ElementId, BoardElement>();
  /** The members of each frame, by its id. */
  private readonly membersOf = new Map<ElementId, Set<ElementId>>();
  private readonly listeners = new Set<(changed: ReadonlySet<ElementId>) => void>();
  private readonly diffListeners = new Set<SceneDiffListener>();
  private version = 0;
  /** The front-most element, kept as elements come and go; null when it must be looked for. */
  private top: SceneEntry | null = null;
  private topKnown = true;
  private unobserve: (() => void) | null = null;

  constructor(private readonly doc: Y.Doc) {}

  /** Reads every element and starts following changes. */
  start(): void {
    this.stop();
    // What is there now is reported afresh: nothing from before may linger.
    this.entries.clear();
    this.groups.clear();
    this.bound.clear();
    this.boundTo.clear();
    this.framed.clear();
    this.membersOf.clear();
    this.tree.clear();
    this.top = null;
    this.topKnown = true;
    this.unobserve = observeElements(this.doc, (diff) => this.apply(diff));
  }

  stop(): void {
    this.unobserve?.();
    this.unobserve = null;
  }

  onChange(listener: (changed: ReadonlySet<ElementId>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Each change to the elements after the scene has taken it in, as records (the transaction's
   * origin and writers too), with the removed elements as they were. Parts that need records
   * listen here rather than observe the doc themselves: a big board's elements are read once.
   */
  onDiff(listener: SceneDiffListener): () => void {
    this.diffListeners.add(listener);
    return () => this.diffListeners.delete(listener);
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: ElementId): SceneEntry | undefined {
    return this.entries.get(id);
  }

  /** Every element, back to front. */
  /** Every element, in no particular order (cheaper than `all` when the order is not wanted). */
  unordered(): IterableIterator<SceneEntry> {
    return this.entries.values();
  }

  all(): SceneEntry[] {
    return [...this.entries.values()].sort((a, b) => compareOrder(a.element, b.element));
  }

  /** Elements whose boxes come within `tolerance` of `p`, back to front. */
  private near(p: Point, tolerance: number): SceneEntry[] {
    return this.search({
      minX: p.x - tolerance,
      minY: p.y - tolerance,
      maxX: p.x + tolerance,
      maxY: p.y + tolerance,
    });
  }

  /** Elements whose boxes meet `bounds`, back to front. */
  search(bounds: Bounds): SceneEntry[] {
    return this.tree.search(bounds).sort((a, b) => compareOrder(a.element, b.element));
  }

  /**
   * The front-most element under `p`, within `tolerance` board units. Unlocked only: a locked
   * element cannot be picked, moved or erased.
   */
  topmostAt(p: Point, tolerance: number): SceneEntry | null {
    const near = this.near(p, tolerance);
    for (let i = near.length - 1; i >= 0; i--) {
      const { element } = near[i]!;
      if (!element.locked && hitElement(element, p, tolerance)) return near[i]!;
    }
    return null;
  }

  /**
   * What a click at `p` selects: the front-most element it touches, else the smallest hollow
   * rectangle or ellipse around it (so an unfilled shape is picked by clicking inside it, and a
   * shape drawn inside another stays reachable).
   */
  pickAt(p: Point, tolerance: number): SceneEntry | null {
    const touched = this.topmostAt(p, tolerance);
    if (touched) return touched;
    let best: SceneEntry | null = null;
    for (const entry of this.tree.search({ minX: p.x, minY: p.y, maxX: p.x, maxY: p.y })) {
      if (entry.element.locked || !insideShape(entry.element, p)) continue;
      const area = (entry.maxX - entry.minX) * (entry.maxY - entry.minY);
      if (!best || area < (best.maxX - best.minX) * (best.maxY - best.minY)) best = entry;
    }
    return best;
  }

  /**
   * What a line's or arrow's end dropped at `p` binds to: the front-most shape, note or text that
   * `p` is on or inside (within `tolerance`), those in `exclude` aside; locked ones too (binding
   * does not change them).
   */
  bindTargetAt(
    p: Point,
    tolerance: number,
    exclude: readonly (ElementId | null | undefined)[] = [],
  ): SceneEntry | null {
    const near = this.near(p, tolerance);
    for (let i = near.length - 1; i >= 0; i--) {
      const { element } = near[i]!;
      if (exclude.includes(element.id) || !isBindable(element)) continue;
      if (insideShape(element, p) || hitElement(element, p, tolerance)) return near[i]!;
    }
    return null;
  }

  /** The elements of a group (of its nested groups too). */
  groupMembers(group: string): ReadonlySet<ElementId> {
    return this.groups.get(group) ?? EMPTY;
  }

  /** A z key above every element: where a new element goes to be on top. */
  topKey(): OrderKey {
    const top = this.topEntry();
    return keysAt(top ? [top.element.z] : [], top ? 1 : 0)[0]!;
  }

  /** The front-most element, or null for an empty board. */
  topEntry(): SceneEntry | null {
    if (!this.topKnown) {
      this.top = null;
      for (const entry of this.entries.values()) this.raiseTop(entry);
      this.topKnown = true;
    }
    return this.top;
  }

  private raiseTop(entry: SceneEntry): void {
    if (!this.top || compareOrder(this.top.element, entry.element) < 0) this.top = entry;
  }

  /** The box around every element, or null for an empty board. */
  bounds(): Bounds | null {
    if (this.entries.size === 0) return null;
    const { minX, minY, maxX, maxY } = this.tree.toJSON() as Bounds;
    return { minX, minY, maxX, maxY };
  }

  private entry(id: ElementId, element: BoardElement): SceneEntry {
    return { id, element, version: ++this.version, ...elementBounds(element) };
  }

  private apply(diff: ElementsDiff): void {
    const { added, updated, removed } = diff;
    const gone = new Map<ElementId, BoardElement>();
    if (this.diffListeners.size > 0)
      for (const id of removed) {
        const element = this.entries.get(id)?.element;
        if (element) gone.set(id, element);
      }
    // Lines and arrows with a bound end, and frames' members, are kept as stored too: their
    // entries hold them as drawn.
    for (const id of removed) {
      this.bound.delete(id);
      this.framed.delete(id);
    }
    for (const [id, element] of [...added, ...updated]) {
      if (boundTargets(element).length > 0) this.bound.set(id, element);
      else this.bound.delete(id);
      if (element.frame !== null && element.kind !== 'frame') this.framed.set(id, element);
      else this.framed.delete(id);
    }
    const count = added.size + updated.size + removed.size;
    // A board arriving whole (the first sync of a big room) is indexed in one bulk load, which is
    // much faster than inserting one by one.
    if (count > BULK_THRESHOLD && count > this.entries.size / 4) {
      for (const id of removed) this.unlist(this.entries.get(id));
      for (const id of removed) this.entries.delete(id);
      for (const [id, element] of [...added, ...updated]) {
        this.unlist(this.entries.get(id));
        const entry = this.entry(id, element);
        this.entries.set(id, entry);
        this.list(entry);
      }
      this.tree.clear();
      this.tree.load([...this.entries.values()]);
      this.topKnown = false;
    } else {
      for (const id of removed) this.remove(id);
      for (const [id, element] of [...added, ...updated]) this.replace(id, element);
    }
    const changed = new Set([...added.keys(), ...updated.keys(), ...removed]);
    // Members before arrows: an arrow may be bound to a member, or be one.
    this.redrawFramed(changed);
    this.redrawBound(changed);
    this.emit(changed);
    for (const listener of this.diffListeners) listener(diff, gone);
  }

  /** Members that changed, or whose frames did, placed on the board afresh; added to `changed`. */
  private redrawFramed(changed: Set<ElementId>): void {
    if (this.framed.size === 0) return;
    const stale = new Set<ElementId>();
    for (const id of changed) {
      if (this.framed.has(id)) stale.add(id);
      for (const member of this.membersOf.get(id) ?? EMPTY) stale.add(member);
    }
    const frameAt = (frame: ElementId) => {
      const element = this.entries.get(frame)?.element;
      return element?.kind === 'frame' ? element : null;
    };
    for (const id of stale) {
      const stored = this.framed.get(id);
      if (!stored || !this.entries.has(id)) continue;
      const placed = resolveFrame(stored, frameAt);
      // A bound member is then drawn from where it is on the board.
      if (this.bound.has(id)) this.bound.set(id, placed);
      this.replace(id, placed);
      changed.add(id);
    }
  }

  private replace(id: ElementId, element: BoardElement): void {
    this.remove(id);
    const entry = this.entry(id, element);
    this.entries.set(id, entry);
    this.list(entry);
    this.tree.insert(entry);
    if (this.topKnown) this.raiseTop(entry);
  }

  /** Lines and arrows that changed, or whose targets did, drawn afresh; added to `changed`. */
  private redrawBound(changed: Set<ElementId>): void {
    const stale = new Set<ElementId>();
    for (const id of changed) {
      if (this.bound.has(id)) stale.add(id);
      for (const arrow of this.boundTo.get(id) ?? EMPTY) stale.add(arrow);
    }
    for (const id of stale) {
      const stored = this.bound.get(id);
      if (!stored || !this.entries.has(id)) continue;
      this.replace(
        id,
        resolveBindings(stored, (target) => this.entries.get(target)?.element),
      );
      changed.add(id);
    }
  }

  private list(entry: SceneEntry): void {
    for (const target of boundTargets(entry.element)) {
      let arrows = this.boundTo.get(target);
      if (!arrows) {
        arrows = new Set();
        this.boundTo.set(target, arrows);
      }
      arrows.add(entry.id);
    }
    const { frame } = entry.element;
    if (frame !== null && entry.element.kind !== 'frame') {
      let members = this.membersOf.get(frame);
      if (!members) {
        members = new Set();
        this.membersOf.set(frame, members);
      }
      members.add(entry.id);
    }
    for (const group of entry.element.groups) {
      let members = this.groups.get(group);
      if (!members) {
        members = new Set();
        this.groups.set(group, members);
      }
      members.add(entry.id);
    }
  }

  private unlist(entry: SceneEntry | undefined): void {
    if (!entry) return;
    for (const target of boundTargets(entry.element)) {
      const arrows = this.boundTo.get(target);
      arrows?.delete(entry.id);
      if (arrows?.size === 0) this.boundTo.delete(target);
    }
    const { frame } = entry.element;
    if (frame !== null) {
      const members = this.membersOf.get(frame);
      members?.delete(entry.id);
      if (members?.size === 0) this.membersOf.delete(frame);
    }
    for (const group of entry.element.groups) {
      const members = this.groups.get(group);
      members?.delete(entry.id);
      if (members?.size === 0) this.groups.delete(group);
    }
  }

  private remove(id: ElementId): void {
    const old = this.entries.get(id);
    if (!old) return;
    this.tree.remove(old);
    this.entries.delete(id);
    this.unlist(old);
    // The top went away, or may have been lowered: found again when next asked for.
    if (old === this.top) this.topKnown = false;
  }

  private emit(changed: ReadonlySet<ElementId>): void {
    for (const listener of this.listeners) listener(changed);
  }
}
