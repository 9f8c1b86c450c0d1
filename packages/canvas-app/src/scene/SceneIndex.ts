import {
  asElementId,
  type BoardElement,
  type Bounds,
  compareOrder,
  type ElementId,
  elementBounds,
  elementsMap,
  type Point,
  readElement,
} from '@inkroom/shared';
import RBush from 'rbush';
import * as Y from 'yjs';
import { hitElement } from '../model/hit-test.js';

/** Changes touching more elements than this (and a good share of the board) rebuild the index. */
const BULK_THRESHOLD = 500;

/** One element as the index holds it: its snapshot, its box, and a version for caches. */
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
  private readonly listeners = new Set<(changed: ReadonlySet<ElementId>) => void>();
  private version = 0;
  private readonly observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => this.onEvents(events);

  constructor(private readonly doc: Y.Doc) {}

  /** Reads every element and starts following changes. */
  start(): void {
    this.reload();
    elementsMap(this.doc).observeDeep(this.observer);
    this.emit(new Set(this.entries.keys()));
  }

  /** Rebuilds the index from the doc in one bulk load (much faster than inserting one by one). */
  private reload(): void {
    const loaded: SceneEntry[] = [];
    elementsMap(this.doc).forEach((map, key) => {
      const entry = this.read(asElementId(key), map);
      if (entry) loaded.push(entry);
    });
    this.tree.clear();
    this.entries.clear();
    for (const entry of loaded) this.entries.set(entry.id, entry);
    this.tree.load(loaded);
  }

  stop(): void {
    elementsMap(this.doc).unobserveDeep(this.observer);
  }

  onChange(listener: (changed: ReadonlySet<ElementId>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: ElementId): SceneEntry | undefined {
    return this.entries.get(id);
  }

  /** Every element, back to front. */
  all(): SceneEntry[] {
    return [...this.entries.values()].sort((a, b) => compareOrder(a.element, b.element));
  }

  /** Elements whose boxes meet `bounds`, back to front. */
  search(bounds: Bounds): SceneEntry[] {
    return this.tree.search(bounds).sort((a, b) => compareOrder(a.element, b.element));
  }

  /** The front-most element under `p`, within `tolerance` board units. */
  topmostAt(p: Point, tolerance: number): SceneEntry | null {
    const near = this.search({
      minX: p.x - tolerance,
      minY: p.y - tolerance,
      maxX: p.x + tolerance,
      maxY: p.y + tolerance,
    });
    for (let i = near.length - 1; i >= 0; i--) {
      if (hitElement(near[i]!.element, p, tolerance)) return near[i]!;
    }
    return null;
  }

  /** The box around every element, or null for an empty board. */
  bounds(): Bounds | null {
    if (this.entries.size === 0) return null;
    const { minX, minY, maxX, maxY } = this.tree.toJSON() as Bounds;
    return { minX, minY, maxX, maxY };
  }

  private read(id: ElementId, map: unknown): SceneEntry | null {
    if (!(map instanceof Y.Map)) return null;
    const element = readElement(id, map as Y.Map<unknown>);
    if (!element) return null;
    return { id, element, version: ++this.version, ...elementBounds(element) };
  }

  private onEvents(events: Y.YEvent<Y.AbstractType<unknown>>[]): void {
    const changed = new Set<ElementId>();
    const top = elementsMap(this.doc);
    for (const event of events) {
      if (event.target === top) {
        for (const key of event.changes.keys.keys()) changed.add(asElementId(key));
      } else if (typeof event.path[0] === 'string') {
        changed.add(asElementId(event.path[0]));
      }
    }
    // A board arriving whole (the first sync of a big room) is indexed in one bulk load.
    if (changed.size > BULK_THRESHOLD && changed.size > this.entries.size / 4) {
      this.reload();
      this.emit(changed);
      return;
    }
    for (const id of changed) {
      const old = this.entries.get(id);
      if (old) {
        this.tree.remove(old);
        this.entries.delete(id);
      }
      const entry = this.read(id, top.get(id));
      if (entry) {
        this.entries.set(id, entry);
        this.tree.insert(entry);
      }
    }
    if (changed.size > 0) this.emit(changed);
  }

  private emit(changed: ReadonlySet<ElementId>): void {
    for (const listener of this.listeners) listener(changed);
  }
}
