import type { Point } from '@inkroom/shared';
import type { BoardPointer } from '../tools/Tool.js';
import type { Viewport } from '../viewport/Viewport.js';

/** What the input handler drives. */
export interface InputTarget {
  readonly viewport: Viewport;
  toolDown(pointer: BoardPointer): void;
  toolMove(pointer: BoardPointer): void;
  toolUp(pointer: BoardPointer): void;
  toolCancel(): void;
  hover(board: Point | null): void;
  /** True while Space is held (drag pans). */
  readonly spaceHeld: boolean;
  /** Once a pen is seen, only the pen draws and fingers pan and zoom (false: fingers draw too). */
  readonly palmRejection: boolean;
  /** A two-finger tap. */
  undo(): void;
  /** A three-finger tap. */
  redo(): void;
  /** A long press, or the mouse's right button, at this point of the stage (screen units). */
  contextMenu(at: Point): void;
  /** The active tool draws: a pen held still is drawing a dot, not asking for the menu. */
  readonly drawing: boolean;
}

/** A press held this long without moving opens the context menu. */
const LONG_PRESS_MS = 500;
/** Fingers that moved less than this (CSS px) tapped; more, and they pan, pinch or draw. */
const TAP_SLOP = 10;
/** Fingers down and up within this long tapped. */
const TAP_MS = 350;
/** A touch this wide or tall (CSS px) is a palm, once a pen is in use. */
const PALM_SIZE = 40;
/** Just after the pen lifts, touches that come and go are the hand, not a tap. */
const AFTER_PEN_MS = 500;

/**
 * Pointer, wheel and touch input on the board's stage: one pointer draws with the current tool;
 * the middle button, Space-drag or two fingers pan; Ctrl/Cmd+wheel and pinch zoom; a plain wheel
 * or trackpad scroll pans. A two-finger tap undoes, a three-finger tap redoes, and a long press
 * (a finger's, or a pen's with the select tool) or the right button opens the context menu.
 * Palm rejection: once a pen has been seen, the pen draws and one finger pans (and never
 * long-presses); touches while the pen is down, or as broad as a palm, are ignored, and so are
 * taps just after the pen lifts; a pen landing ends what a palm began. A gesture belongs to the
 * pointer that began it: another pointer's moves (a pen hovering) are not part of it.
 */
export class StageInput {
  private readonly touches = new Map<number, Point>();
  private mode: 'idle' | 'tool' | 'pan' | 'pinch' | 'menu' = 'idle';
  private last: Point | null = null;
  private pinch: { distance: number; center: Point } | null = null;
  /** A pen has been seen on this board: fingers stop drawing (palm rejection). */
  private penSeen = false;
  /** The pen touching the stage, if one does: touches meanwhile are a palm. */
  private penDown: number | null = null;
  private penLiftedAt = Number.NEGATIVE_INFINITY;
  /** The pointer that began the tool gesture or the pan: other pointers' moves are not its. */
  private owner: number | null = null;
  /** The fingers of a possible tap: when the first came down, where each started, the most at once. */
  private tap: { start: number; starts: Map<number, Point>; fingers: number; moved: boolean } | null = null;
  private longPress: { timer: ReturnType<typeof setTimeout>; id: number; at: Point } | null = null;
  /** The type of the last pointer pressed (a touch's long press fires the browser's contextmenu too). */
  private lastPointerType = 'mouse';

  constructor(
    private readonly stage: HTMLElement,
    private readonly target: InputTarget,
  ) {}

  attach(): void {
    this.stage.addEventListener('pointerdown', this.onDown);
    this.stage.addEventListener('pointermove', this.onMove);
    this.stage.addEventListener('pointerup', this.onUp);
    this.stage.addEventListener('pointercancel', this.onCancel);
    this.stage.addEventListener('pointerleave', this.onLeave);
    this.stage.addEventListener('wheel', this.onWheel, { passive: false });
    this.stage.addEventListener('contextmenu', this.onContextMenu);
  }

  detach(): void {
    this.stage.removeEventListener('pointerdown', this.onDown);
    this.stage.removeEventListener('pointermove', this.onMove);
    this.stage.removeEventListener('pointerup', this.onUp);
    this.stage.removeEventListener('pointercancel', this.onCancel);
    this.stage.removeEventListener('pointerleave', this.onLeave);
    this.stage.removeEventListener('wheel', this.onWheel);
    this.stage.removeEventListener('contextmenu', this.onContextMenu);
    this.stopLongPress();
  }

  private local(event: MouseEvent): Point {
    const rect = this.stage.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private pointer(event: PointerEvent): BoardPointer {
    const screen = this.local(event);
    return {
      screen,
      board: this.target.viewport.toBoard(screen),
      pressure: event.pressure || 0.5,
      pointerType: event.pointerType,
      shiftKey: event.shiftKey,
      altKey: event.altKey,
      modKey: event.ctrlKey || event.metaKey,
    };
  }

  private readonly onDown = (event: PointerEvent) => {
    // No compatibility mouse events: their default focus change would take the focus from the
    // text editor a tool has just opened. The board focuses itself.
    event.preventDefault();
    this.lastPointerType = event.pointerType;
    if (event.pointerType === 'touch') {
      // A palm: on the screen while the pen draws, or too broad for a finger once a pen is in use.
      const palm =
        this.penDown !== null || (this.penSeen && Math.max(event.width, event.height) >= PALM_SIZE);
      if (palm && this.target.palmRejection) return;
      this.stage.setPointerCapture?.(event.pointerId);
      if (this.touchDown(event)) return;
    } else {
      this.stage.setPointerCapture?.(event.pointerId);
      this.stopLongPress();
    }
    if (event.pointerType === 'pen') {
      this.penDown = event.pointerId;
      this.penSeen = true;
      // The pen wins over a palm that landed first: whatever it began (a stroke, a pan) ends.
      if (this.touches.size > 0 && this.target.palmRejection) {
        if (this.mode === 'tool') this.target.toolCancel();
        this.mode = 'idle';
        this.touches.clear();
        this.tap = null;
        this.pinch = null;
      }
      if (!this.target.drawing) this.startLongPress(event);
    }
    if (event.button === 1 || (event.button === 0 && this.target.spaceHeld)) {
      this.mode = 'pan';
      this.owner = event.pointerId;
      this.last = this.local(event);
      event.preventDefault();
      return;
    }
    if (event.button !== 0) return;
    this.mode = 'tool';
    this.owner = event.pointerId;
    this.target.toolDown(this.pointer(event));
  };

  /** While a gesture or a pan is under way, another pointer (a pen hovering, a palm) is not part of it. */
  private foreign(event: PointerEvent): boolean {
    return (this.mode === 'tool' || this.mode === 'pan') && event.pointerId !== this.owner;
  }

  private readonly onMove = (event: PointerEvent) => {
    const screen = this.local(event);
    if (event.pointerType === 'touch') {
      if (!this.touches.has(event.pointerId)) return;
      this.touches.set(event.pointerId, screen);
      const start = this.tap?.starts.get(event.pointerId);
      if (this.tap && start && Math.hypot(screen.x - start.x, screen.y - start.y) > TAP_SLOP)
        this.tap.moved = true;
    }
    if (
      this.longPress?.id === event.pointerId &&
      Math.hypot(screen.x - this.longPress.at.x, screen.y - this.longPress.at.y) > TAP_SLOP
    )
      this.stopLongPress();
    if (this.mode === 'menu' || this.foreign(event)) return;
    if (this.mode === 'pinch') {
      const next = this.pinchState();
      if (this.pinch && next) {
        this.target.viewport.panBy(next.center.x - this.pinch.center.x, next.center.y - this.pinch.center.y);
        this.target.viewport.zoomAt(next.center, next.distance / this.pinch.distance);
      }
      this.pinch = next;
      return;
    }
    if (this.mode === 'pan' && this.last) {
      this.target.viewport.panBy(screen.x - this.last.x, screen.y - this.last.y);
      this.last = screen;
      return;
    }
    const pointer = this.pointer(event);
    this.target.hover(pointer.board);
    if (this.mode === 'tool') {
      // Coalesced events carry every sample the browser took since the last frame: smoother ink.
      const samples = event.getCoalescedEvents?.() ?? [];
      if (samples.length > 1) for (const sample of samples) this.target.toolMove(this.pointer(sample));
      else this.target.toolMove(pointer);
    }
  };

  private readonly onUp = (event: PointerEvent) => {
    if (this.longPress?.id === event.pointerId) this.stopLongPress();
    if (event.pointerId === this.penDown) {
      this.penDown = null;
      this.penLiftedAt = performance.now();
    }
    if (event.pointerType === 'touch') {
      // A palm that was never taken in.
      if (!this.touches.delete(event.pointerId)) return;
      if (this.touches.size === 0) this.tapped();
    }
    if (this.foreign(event)) return;
    if (this.mode === 'tool') this.target.toolUp(this.pointer(event));
    if ((this.mode !== 'pinch' && this.mode !== 'menu') || this.touches.size === 0) this.end();
  };

  /** The browser took a pointer back (a palm, a scroll): only its own gesture ends. */
  private readonly onCancel = (event: PointerEvent) => {
    if (this.longPress?.id === event.pointerId) this.stopLongPress();
    if (event.pointerId === this.penDown) this.penDown = null;
    if (event.pointerType === 'touch' && !this.touches.delete(event.pointerId)) return;
    this.tap = null;
    if (this.foreign(event)) return;
    if (this.mode === 'tool') this.target.toolCancel();
    this.end();
  };

  private end(): void {
    this.mode = 'idle';
    this.owner = null;
    this.last = null;
  }

  /**
   * The right button (a mouse's, or a pen's barrel button) opens the context menu; a touch's
   * long press has its own timer.
   */
  private readonly onContextMenu = (event: MouseEvent) => {
    event.preventDefault();
    if (this.lastPointerType === 'mouse' || (this.lastPointerType === 'pen' && event.button === 2))
      this.target.contextMenu(this.local(event));
  };

  /**
   * A finger came down: true when it is handled here (a second finger pinches, a finger after a
   * pen has been seen pans), false when it draws like a mouse.
   */
  private touchDown(event: PointerEvent): boolean {
    const at = this.local(event);
    this.touches.set(event.pointerId, at);
    if (this.touches.size === 1)
      this.tap = { start: performance.now(), starts: new Map(), fingers: 0, moved: false };
    if (this.tap) {
      this.tap.starts.set(event.pointerId, at);
      this.tap.fingers = Math.max(this.tap.fingers, this.touches.size);
    }
    if (this.touches.size >= 2) {
      this.stopLongPress();
      // A second finger turns a stroke that just began into a pinch.
      if (this.mode === 'tool') this.target.toolCancel();
      this.mode = 'pinch';
      this.pinch = this.pinchState();
      return true;
    }
    // With a pen in use, a finger resting is most likely a palm: no long press for it.
    if (!this.penSeen || !this.target.palmRejection) {
      this.startLongPress(event);
      return false;
    }
    this.mode = 'pan';
    this.owner = event.pointerId;
    this.last = at;
    return true;
  }

  /** The last finger lifted: two (or three) that came and went quickly without moving undo (or redo). */
  private tapped(): void {
    const tap = this.tap;
    this.tap = null;
    if (!tap || tap.moved || performance.now() - tap.start > TAP_MS) return;
    // The hand around a pen that has just lifted, not a tap.
    if (this.target.palmRejection && (this.penDown !== null || tap.start - this.penLiftedAt < AFTER_PEN_MS))
      return;
    if (tap.fingers === 2) this.target.undo();
    else if (tap.fingers === 3) this.target.redo();
  }

  private startLongPress(event: PointerEvent): void {
    this.stopLongPress();
    const at = this.local(event);
    const id = event.pointerId;
    this.longPress = {
      id,
      at,
      timer: setTimeout(() => {
        this.longPress = null;
        // What the press began (a stroke, a move) gives way to the menu.
        if (this.mode === 'tool') this.target.toolCancel();
        this.mode = 'menu';
        this.tap = null;
        this.target.contextMenu(at);
      }, LONG_PRESS_MS),
    };
  }

  private stopLongPress(): void {
    if (!this.longPress) return;
    clearTimeout(this.longPress.timer);
    this.longPress = null;
  }

  private readonly onLeave = () => {
    if (this.mode === 'idle') this.target.hover(null);
  };

  private readonly onWheel = (event: WheelEvent) => {
    event.preventDefault();
    const at = this.local(event);
    // Some browsers scroll by lines or pages rather than pixels.
    const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? this.target.viewport.height : 1;
    const dx = event.deltaX * unit;
    const dy = event.deltaY * unit;
    if (event.ctrlKey || event.metaKey) {
      this.target.viewport.zoomAt(at, Math.exp(-dy / 200));
    } else {
      this.target.viewport.panBy(-dx, -dy);
    }
  };

  private pinchState(): { distance: number; center: Point } | null {
    const [a, b] = [...this.touches.values()];
    if (!a || !b) return null;
    return {
      distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)),
      center: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
    };
  }
}
