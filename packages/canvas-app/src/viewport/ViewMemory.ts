import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConnectionController, ConnectionTarget } from '../controllers/ConnectionController.js';
import type { Viewport } from './Viewport.js';

const KEY_PREFIX = 'inkroom.view:';
/** The view is written this long after it stops moving. */
const SAVE_MS = 400;
/** Farther than any board reaches: a stored view beyond it is not one. */
const MAX_OFFSET = 1e9;

/** The localStorage key of a room's view on this device. */
export function viewKey(target: ConnectionTarget): string {
  return `${KEY_PREFIX}${target.server}/${target.room}`;
}

/**
 * Where each board was last looked at on this device: a board reopens at that view (as Excalidraw
 * and tldraw do) rather than at the origin, before its elements arrive, so a big board is painted
 * once, where it will be looked at. Kept in localStorage per server and room (top-left corner and
 * zoom), written 400 ms after the view stops moving and when the board goes.
 */
export class ViewMemory implements ReactiveController {
  private key: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stops: (() => void)[] = [];

  constructor(
    host: ReactiveControllerHost,
    private readonly viewport: Viewport,
    private readonly connection: ConnectionController,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stops = [
      this.connection.onRebuild(() => this.follow()),
      this.viewport.onChange(() => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.save(), SAVE_MS);
      }),
    ];
    this.follow();
  }

  hostDisconnected(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    this.save();
    this.key = null;
  }

  /** The board moved to another room (or to none): keep the last one's view, show the new one's. */
  private follow(): void {
    const target = this.connection.current;
    const key = target ? viewKey(target) : null;
    if (key === this.key) return;
    this.save();
    this.key = key;
    const stored = key ? readView(key) : null;
    if (stored) this.viewport.moveTo(stored.x, stored.y, stored.zoom);
  }

  private save(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.key) return;
    const { x, y, zoom } = this.viewport;
    try {
      globalThis.localStorage?.setItem(this.key, JSON.stringify({ x, y, zoom }));
    } catch {
      // Storage full or refused (a private window): the view is simply not remembered.
    }
  }
}

/** A stored view, or null when there is none or it is not one (another version, a hand edit). */
function readView(key: string): { x: number; y: number; zoom: number } | null {
  try {
    const value: unknown = JSON.parse(globalThis.localStorage?.getItem(key) ?? 'null');
    if (!value || typeof value !== 'object') return null;
    const { x, y, zoom } = value as Record<string, unknown>;
    if (typeof x !== 'number' || typeof y !== 'number' || typeof zoom !== 'number') return null;
    if (!(Math.abs(x) <= MAX_OFFSET && Math.abs(y) <= MAX_OFFSET && zoom > 0 && Number.isFinite(zoom)))
      return null;
    return { x, y, zoom };
  } catch {
    return null;
  }
}
