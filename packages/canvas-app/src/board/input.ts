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
}

/**
 * Pointer, wheel and touch input on the board's stage: one pointer draws with the current tool;
 * the middle button, Space-drag or two fingers pan; Ctrl/Cmd+wheel and pinch zoom; a plain wheel
 * or trackpad scroll pans.
 */
export class StageInput {
  private readonly touches = new Map<number, Point>();
  private mode: 'idle' | 'tool' | 'pan' | 'pinch' = 'idle';
  private last: Point | null = null;
  private pinch: { distance: number; center: Point } | null = null;

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
  }

  detach(): void {
    this.stage.removeEventListener('pointerdown', this.onDown);
    this.stage.removeEventListener('pointermove', this.onMove);
    this.stage.removeEventListener('pointerup', this.onUp);
    this.stage.removeEventListener('pointercancel', this.onCancel);
    this.stage.removeEventListener('pointerleave', this.onLeave);
    this.stage.removeEventListener('wheel', this.onWheel);
  }

  private local(event: PointerEvent | WheelEvent): Point {
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
    this.stage.setPointerCapture?.(event.pointerId);
    if (event.pointerType === 'touch') {
      this.touches.set(event.pointerId, this.local(event));
      if (this.touches.size === 2) {
        // A second finger turns a stroke that just began into a pinch.
        if (this.mode === 'tool') this.target.toolCancel();
        this.mode = 'pinch';
        this.pinch = this.pinchState();
        return;
      }
    }
    if (event.button === 1 || (event.button === 0 && this.target.spaceHeld)) {
      this.mode = 'pan';
      this.last = this.local(event);
      event.preventDefault();
      return;
    }
    if (event.button !== 0) return;
    this.mode = 'tool';
    this.target.toolDown(this.pointer(event));
  };

  private readonly onMove = (event: PointerEvent) => {
    const screen = this.local(event);
    if (event.pointerType === 'touch' && this.touches.has(event.pointerId))
      this.touches.set(event.pointerId, screen);
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
    this.touches.delete(event.pointerId);
    if (this.mode === 'tool') this.target.toolUp(this.pointer(event));
    if (this.mode !== 'pinch' || this.touches.size === 0) this.mode = 'idle';
    this.last = null;
  };

  private readonly onCancel = (event: PointerEvent) => {
    this.touches.delete(event.pointerId);
    if (this.mode === 'tool') this.target.toolCancel();
    this.mode = 'idle';
    this.last = null;
  };

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
