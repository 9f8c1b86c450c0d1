import {
  type BoardElement,
  type Bounds,
  bindingAt,
  boxFrom,
  contains,
  type ElementId,
  getElement,
  hasLabel,
  hasText,
  type Point,
  pointCount,
  setElementField,
  union,
  updateElement,
} from '@inkroom/shared';
import { settleFrames } from '../model/frames.js';
import { groupToEnter, pickedIds } from '../model/groups.js';
import { type Guide, paintGuides, SNAP_PX, SnapTargets } from '../model/snapping.js';
import type { SceneEntry } from '../scene/SceneIndex.js';
import { bindTargetFor, paintBindTargets } from './bind-target.js';
import type { BoardPointer, Tool, ToolContext } from './Tool.js';
import {
  CORNERS,
  type Corner,
  Crop,
  cornerPoint,
  geometryBox,
  pictureFrame,
  Resize,
  Rotate,
  rotateHandle,
} from './transform.js';

type State =
  | { kind: 'idle' }
  | { kind: 'resizing'; resize: Resize | Crop; targets: SnapTargets; guides: Guide[] }
  | { kind: 'rotating'; rotate: Rotate }
  | {
      kind: 'moving';
      from: Point;
      origins: Map<ElementId, Point>;
      moved: boolean;
      clicked: ElementId;
      /** The moving elements' box where they started, and what it snaps to. */
      box: Bounds | null;
      targets: SnapTargets | null;
      guides: Guide[];
    }
  | { kind: 'marquee'; from: Point; to: Point; additive: boolean; before: Set<ElementId> }
  /** A line's or arrow's end dragged: where to, and the shape it would bind to there. */
  | { kind: 'endpoint'; id: ElementId; end: 'start' | 'end'; target: SceneEntry | null };

/** The box around the selected elements, or null. */
export function selectionBounds(ctx: ToolContext): Bounds | null {
  let box: Bounds | null = null;
  for (const id of ctx.selection) {
    const entry = ctx.scene.get(id);
    if (entry)
      box = box
        ? union(box, entry)
        : { minX: entry.minX, minY: entry.minY, maxX: entry.maxX, maxY: entry.maxY };
  }
  return box;
}

/** What the selection snaps to: the other elements in view, and the grid when it shows. */
function snapTargets(ctx: ToolContext): SnapTargets {
  return new SnapTargets(ctx.scene, ctx.viewport.visibleBounds(), ctx.selection, ctx.snapGrid ?? null);
}

/** The corners of an image being cropped. */
const CROP_HANDLE = '#f08c00';

/** Two clicks on one element within this long make a double-click (it enters a group). */
const DOUBLE_CLICK_MS = 400;

/**
 * Select and move. Click picks the front-most element, or its whole group (shift adds or removes
 * it); a double-click enters the group, so the next click picks inside it; on an image, it crops
 * (its corners then move over the picture, until a click elsewhere, Escape or another tool). A
 * lone line or arrow of two points has its ends as handles: one dropped on a shape binds to it. Dragging a selected
 * element moves the whole selection, dragging on empty board draws a marquee that selects what it
 * fully contains. Locked elements are never picked or moved.
 */
export class SelectTool implements Tool {
  readonly id = 'select';
  readonly cursor = 'default';
  private state: State = { kind: 'idle' };
  /** The group double-clicked into: clicks pick inside it. */
  private enteredGroup: string | null = null;
  private lastClick: { id: ElementId; at: number } | null = null;
  /** The image being cropped, or null. */
  private cropping: ElementId | null = null;

  /** The group the person has entered (group and ungroup act inside it), or null. */
  get entered(): string | null {
    return this.enteredGroup;
  }

  down(pointer: BoardPointer, ctx: ToolContext): void {
    if (this.grabHandle(pointer, ctx)) return;
    const hit = ctx.scene.pickAt(pointer.board, 6 / ctx.viewport.zoom);
    if (this.cropping && hit?.id !== this.cropping) this.stopCropping(ctx);
    if (hit) {
      if (this.enteredGroup !== null && !hit.element.groups.includes(this.enteredGroup))
        this.enteredGroup = null;
      const picked = pickedIds(ctx.scene, hit.element, this.enteredGroup);
      if (pointer.shiftKey) {
        const all = picked.every((id) => ctx.selection.has(id));
        for (const id of picked) {
          if (all) ctx.selection.delete(id);
          else ctx.selection.add(id);
        }
      } else if (!picked.every((id) => ctx.selection.has(id))) {
        ctx.selection.clear();
        for (const id of picked) ctx.selection.add(id);
      }
      ctx.selectionChanged();
      const origins = new Map<ElementId, Point>();
      for (const id of ctx.selection) {
        const entry = ctx.scene.get(id);
        if (entry && !entry.element.locked) origins.set(id, { x: entry.element.x, y: entry.element.y });
      }
      let box: Bounds | null = null;
      for (const id of origins.keys()) {
        const entry = ctx.scene.get(id)!;
        box = box
          ? union(box, entry)
          : { minX: entry.minX, minY: entry.minY, maxX: entry.maxX, maxY: entry.maxY };
      }
      // A frame's members move with it: written once, through the frame.
      for (const id of [...origins.keys()]) {
        const frame = ctx.scene.get(id)?.element.frame;
        if (frame && origins.has(frame)) origins.delete(id);
      }
      this.state = {
        kind: 'moving',
        from: pointer.board,
        origins,
        moved: false,
        clicked: hit.id,
        box,
        targets: null,
        guides: [],
      };
      return;
    }
    this.enteredGroup = null;
    this.lastClick = null;
    const before = new Set(pointer.shiftKey ? ctx.selection : []);
    if (!pointer.shiftKey && ctx.selection.size > 0) {
      ctx.selection.clear();
      ctx.selectionChanged();
    }
    this.state = {
      kind: 'marquee',
      from: pointer.board,
      to: pointer.board,
      additive: pointer.shiftKey,
      before,
    };
  }

  move(pointer: BoardPointer, ctx: ToolContext): void {
    const state = this.state;
    if (state.kind === 'endpoint') {
      this.moveEndpoint(state, pointer, ctx);
    } else if (state.kind === 'resizing') {
      // Alt held: no snapping.
      const snapped = pointer.altKey
        ? null
        : state.targets.snapPoint(pointer.board, SNAP_PX / ctx.viewport.zoom);
      state.guides = snapped?.guides ?? [];
      state.resize.apply(snapped?.point ?? pointer.board, pointer.shiftKey, ctx);
      ctx.requestOverlay();
    } else if (state.kind === 'rotating') {
      state.rotate.apply(pointer.board, pointer.shiftKey, ctx);
    } else if (state.kind === 'moving') {
      let dx = pointer.board.x - state.from.x;
      let dy = pointer.board.y - state.from.y;
      if (!state.moved && Math.hypot(dx, dy) * ctx.viewport.zoom < 2) return;
      state.moved = true;
      // Edges and centres snap to other elements' (and to the grid when it shows); Alt held: no snapping.
      state.guides = [];
      if (state.box && !pointer.altKey) {
        state.targets ??= snapTargets(ctx);
        const { box } = state;
        const snap = state.targets.snapBox(
          { minX: box.minX + dx, minY: box.minY + dy, maxX: box.maxX + dx, maxY: box.maxY + dy },
          SNAP_PX / ctx.viewport.zoom,
        );
        dx += snap.dx;
        dy += snap.dy;
        state.guides = snap.guides;
        ctx.requestOverlay();
      }
      ctx.doc.transact(() => {
        for (const [id, origin] of state.origins) {
          setElementField(ctx.doc, id, 'x', origin.x + dx, ctx.origin);
          setElementField(ctx.doc, id, 'y', origin.y + dy, ctx.origin);
        }
      }, ctx.origin);
    } else if (state.kind === 'marquee') {
      state.to = pointer.board;
      const box = boxFrom(state.from, state.to);
      ctx.selection.clear();
      for (const id of state.before) ctx.selection.add(id);
      for (const entry of ctx.scene.search(box))
        if (!entry.element.locked && contains(box, entry)) ctx.selection.add(entry.id);
      ctx.selectionChanged();
    }
  }

  up(pointer: BoardPointer, ctx: ToolContext): void {
    const state = this.state;
    this.state = { kind: 'idle' };
    if (state.kind === 'endpoint') {
      // Dropped on a shape: bound to it there (Ctrl/Cmd: free).
      const element = getElement(ctx.doc, state.id);
      if (state.target && (element?.kind === 'line' || element?.kind === 'arrow'))
        updateElement(
          ctx.doc,
          state.id,
          element.kind,
          { [`${state.end}Binding`]: bindingAt(state.target.element, pointer.board) },
          ctx.origin,
        );
      ctx.requestOverlay();
      return;
    }
    // Moved elements belong to the frame they were dropped in (or to none, dropped outside).
    if (state.kind === 'moving' && state.moved) settleFrames(ctx, state.origins.keys());
    // A second click (no drag) on one element soon after the first is a double-click.
    if (state.kind === 'moving' && !state.moved) {
      const now = performance.now();
      const last = this.lastClick;
      this.lastClick = { id: state.clicked, at: now };
      if (last?.id === state.clicked && now - last.at < DOUBLE_CLICK_MS) {
        this.lastClick = null;
        // Into its group first; on an element alone, its text or label is edited, an image cropped.
        if (!this.enterGroupOf(state.clicked, ctx) && !this.startCropping(state.clicked, ctx))
          this.editTextOf(state.clicked, ctx);
      }
    }
    ctx.requestOverlay();
  }

  /** Enters the group picked by a click on `id`, and picks the next level inside it; false for none. */
  private enterGroupOf(id: ElementId, ctx: ToolContext): boolean {
    const element = ctx.scene.get(id)?.element;
    const into = element && groupToEnter(element, this.enteredGroup);
    if (!element || !into) return false;
    this.enteredGroup = into;
    ctx.selection.clear();
    for (const picked of pickedIds(ctx.scene, element, into)) ctx.selection.add(picked);
    ctx.selectionChanged();
    return true;
  }

  /** Starts cropping `id` when it is an image that can be (unlocked, unturned); false otherwise. */
  private startCropping(id: ElementId, ctx: ToolContext): boolean {
    const element = ctx.scene.get(id)?.element;
    if (element?.kind !== 'image' || element.locked || element.rotation !== 0) return false;
    this.cropping = id;
    ctx.selection.clear();
    ctx.selection.add(id);
    ctx.selectionChanged();
    ctx.requestOverlay();
    return true;
  }

  private stopCropping(ctx: ToolContext): void {
    this.cropping = null;
    ctx.requestOverlay();
  }

  /** The image being cropped, while it is the selection. */
  private croppedImage(ctx: ToolContext) {
    if (!this.cropping || ctx.selection.size !== 1 || !ctx.selection.has(this.cropping)) return null;
    const element = ctx.scene.get(this.cropping)?.element;
    return element?.kind === 'image' && !element.locked ? element : null;
  }

  /** Opens the editor on a text element's or note's text, or a shape's, line's or arrow's label. */
  private editTextOf(id: ElementId, ctx: ToolContext): void {
    const element = ctx.scene.get(id)?.element;
    if (element && !element.locked && (hasText(element.kind) || hasLabel(element.kind))) ctx.editText(id);
  }

  cancel(ctx: ToolContext): void {
    this.state = { kind: 'idle' };
    this.cropping = null;
    // Escape, another tool, select all or another room: out of the entered group.
    this.enteredGroup = null;
    this.lastClick = null;
    ctx.requestOverlay();
  }

  paint(canvas: CanvasRenderingContext2D, ctx: ToolContext): void {
    const zoom = ctx.viewport.zoom;
    canvas.lineWidth = 1 / zoom;
    canvas.strokeStyle = '#4c6ef5';
    for (const id of ctx.selection) {
      const entry = ctx.scene.get(id);
      if (entry) canvas.strokeRect(entry.minX, entry.minY, entry.maxX - entry.minX, entry.maxY - entry.minY);
    }
    const all = selectionBounds(ctx);
    if (all && ctx.selection.size > 1) {
      canvas.setLineDash([4 / zoom, 4 / zoom]);
      canvas.strokeRect(
        all.minX - 4 / zoom,
        all.minY - 4 / zoom,
        all.maxX - all.minX + 8 / zoom,
        all.maxY - all.minY + 8 / zoom,
      );
      canvas.setLineDash([]);
    }
    const cropped = this.croppedImage(ctx);
    if (cropped) {
      // The whole picture, dashed, and the shown part's corners in orange: they crop.
      const frame = pictureFrame(cropped);
      canvas.setLineDash([4 / zoom, 4 / zoom]);
      canvas.strokeRect(frame.minX, frame.minY, frame.maxX - frame.minX, frame.maxY - frame.minY);
      canvas.setLineDash([]);
      canvas.fillStyle = CROP_HANDLE;
      const size = 10 / zoom;
      for (const corner of CORNERS) {
        const p = cornerPoint(geometryBox(cropped), corner);
        canvas.fillRect(p.x - size / 2, p.y - size / 2, size, size);
      }
      return;
    }
    const ends = this.endpoints(ctx);
    if (ends) {
      // A line's ends are its handles: dragged onto a shape, an end binds to it.
      canvas.fillStyle = '#ffffff';
      for (const p of [ends.start, ends.end]) {
        canvas.beginPath();
        canvas.arc(p.x, p.y, 5 / zoom, 0, Math.PI * 2);
        canvas.fill();
        canvas.stroke();
      }
      if (this.state.kind === 'endpoint') paintBindTargets(canvas, [this.state.target], zoom);
      return;
    }
    const handles = this.handles(ctx);
    if (handles) {
      canvas.fillStyle = '#ffffff';
      const size = 8 / zoom;
      if (handles.originals.size > 0) {
        for (const corner of CORNERS) {
          const p = cornerPoint(handles.box, corner);
          canvas.fillRect(p.x - size / 2, p.y - size / 2, size, size);
          canvas.strokeRect(p.x - size / 2, p.y - size / 2, size, size);
        }
      }
      if (handles.rotatable) {
        const r = rotateHandle(handles.box, zoom, handles.rotation);
        canvas.beginPath();
        canvas.arc(r.x, r.y, 5 / zoom, 0, Math.PI * 2);
        canvas.fill();
        canvas.stroke();
      }
    }
    if (this.state.kind === 'moving' || this.state.kind === 'resizing')
      paintGuides(canvas, this.state.guides, zoom);
    if (this.state.kind === 'marquee') {
      const box = boxFrom(this.state.from, this.state.to);
      canvas.fillStyle = 'rgba(76, 110, 245, 0.08)';
      canvas.fillRect(box.minX, box.minY, box.maxX - box.minX, box.maxY - box.minY);
      canvas.strokeRect(box.minX, box.minY, box.maxX - box.minX, box.maxY - box.minY);
    }
  }

  /** The ends of the one line or arrow selected (of two points, unturned, unlocked), as drawn. */
  private endpoints(ctx: ToolContext): { id: ElementId; start: Point; end: Point } | null {
    if (ctx.selection.size !== 1) return null;
    const [id] = ctx.selection;
    const drawn = ctx.scene.get(id!)?.element;
    const stored = getElement(ctx.doc, id!);
    if (!drawn || !stored || (drawn.kind !== 'line' && drawn.kind !== 'arrow') || drawn.locked) return null;
    if (stored.rotation !== 0 || !('points' in stored) || pointCount(stored.points) !== 2) return null;
    const { xy } = drawn.points;
    return {
      id: drawn.id,
      start: { x: drawn.x + xy[0]!, y: drawn.y + xy[1]! },
      end: { x: drawn.x + xy[2]!, y: drawn.y + xy[3]! },
    };
  }

  /** Moves the dragged end to the pointer, free meanwhile; notes the shape it would bind to. */
  private moveEndpoint(
    state: Extract<State, { kind: 'endpoint' }>,
    pointer: BoardPointer,
    ctx: ToolContext,
  ): void {
    const stored = getElement(ctx.doc, state.id);
    if (stored?.kind !== 'line' && stored?.kind !== 'arrow') return;
    const xy = Float32Array.from(stored.points.xy);
    const at = state.end === 'start' ? 0 : xy.length - 2;
    xy[at] = pointer.board.x - stored.x;
    xy[at + 1] = pointer.board.y - stored.y;
    const other = (state.end === 'start' ? stored.endBinding : stored.startBinding)?.element;
    state.target = bindTargetFor(ctx, pointer.board, pointer.modKey, [state.id, other]);
    updateElement(
      ctx.doc,
      state.id,
      stored.kind,
      { points: { ...stored.points, xy }, [`${state.end}Binding`]: null },
      ctx.origin,
    );
    ctx.requestOverlay();
  }

  /** The selection's resize box and whether it can rotate (one shape without points). */
  private handles(ctx: ToolContext): {
    box: Bounds;
    originals: Map<ElementId, BoardElement>;
    rotatable: boolean;
    rotation: number;
    /** The one element the rotate handle turns. */
    only: ElementId;
  } | null {
    const originals = new Map<ElementId, BoardElement>();
    let box: Bounds | null = null;
    for (const id of ctx.selection) {
      const element = ctx.scene.get(id)?.element;
      // Locked elements are neither resized nor rotated.
      if (!element || element.locked) continue;
      originals.set(id, element);
      const geometry = geometryBox(element);
      box = box ? union(box, geometry) : geometry;
    }
    if (!box || originals.size === 0) return null;
    const only = originals.size === 1 ? [...originals.values()][0]! : null;
    const onlyId = only?.id ?? ([...originals.keys()][0] as ElementId);
    // A rotated shape keeps its rotate handle; resizing it along screen axes would skew it.
    if (only && only.rotation !== 0)
      return { box, originals: new Map(), rotatable: true, rotation: only.rotation, only: onlyId };
    return { box, originals, rotatable: only !== null && !('points' in only), rotation: 0, only: onlyId };
  }

  private grabHandle(pointer: BoardPointer, ctx: ToolContext): boolean {
    const ends = this.endpoints(ctx);
    if (ends) {
      const reach = 7 / ctx.viewport.zoom;
      const near = (p: Point) => Math.hypot(p.x - pointer.board.x, p.y - pointer.board.y) <= reach;
      const end = near(ends.end) ? 'end' : near(ends.start) ? 'start' : null;
      if (!end) return false;
      this.state = { kind: 'endpoint', id: ends.id, end, target: null };
      return true;
    }
    const cropped = this.croppedImage(ctx);
    if (cropped) {
      const reach = 7 / ctx.viewport.zoom;
      const corner = CORNERS.find((c: Corner) => {
        const p = cornerPoint(geometryBox(cropped), c);
        return Math.abs(p.x - pointer.board.x) <= reach && Math.abs(p.y - pointer.board.y) <= reach;
      });
      if (!corner) return false;
      this.state = {
        kind: 'resizing',
        resize: new Crop(cropped, corner),
        targets: snapTargets(ctx),
        guides: [],
      };
      return true;
    }
    const handles = this.handles(ctx);
    if (!handles) return false;
    const reach = 7 / ctx.viewport.zoom;
    const near = (p: Point) =>
      Math.abs(p.x - pointer.board.x) <= reach && Math.abs(p.y - pointer.board.y) <= reach;
    if (handles.rotatable && near(rotateHandle(handles.box, ctx.viewport.zoom, handles.rotation))) {
      this.state = {
        kind: 'rotating',
        rotate: new Rotate(handles.only, handles.box, handles.rotation, pointer.board),
      };
      return true;
    }
    if (handles.originals.size === 0) return false;
    const corner = CORNERS.find((c: Corner) => near(cornerPoint(handles.box, c)));
    if (!corner) return false;
    this.state = {
      kind: 'resizing',
      resize: new Resize(handles.originals, handles.box, corner),
      targets: snapTargets(ctx),
      guides: [],
    };
    return true;
  }
}
