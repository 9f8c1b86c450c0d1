import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Peer, Presence } from '../presence/Presence.js';
import { MAX_ZOOM, MIN_ZOOM, type Viewport } from '../viewport/Viewport.js';

/** The view closes on the followed person's by this time constant (ms): smooth, never far behind. */
const EASE_MS = 110;

/** What following needs from the board. */
export interface FollowParts {
  readonly viewport: Viewport;
  /** The room's presence, or null without a room. */
  presence(): Presence | null;
  /** True when this page declines every call to follow (the board's `ignore-spotlight`). */
  ignoresSpotlight(): boolean;
  /** Started, changed or stopped following someone. */
  changed(): void;
}

/**
 * Following another person's view: ours eases towards theirs, fitted to our size, frame by frame,
 * while they move. Any pan or zoom of our own stops it, as does their leaving. Someone asking
 * everyone to follow them (spotlight) is followed once per call: a page that stops following
 * them is not pulled back until they call again, and `ignore-spotlight` declines every call.
 */
export class FollowController implements ReactiveController {
  private target: { id: number; spotlight: boolean } | null = null;
  /** People whose current call to follow was answered (followed or declined). */
  private readonly answered = new Set<number>();
  private frame = 0;
  private lastFrame = 0;
  /** True while we move the view ourselves (the view's listeners then hear no user move). */
  private moving = false;
  private last = { x: 0, y: 0, zoom: 0, width: 0, height: 0 };
  private stopViewport: (() => void) | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly parts: FollowParts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stopViewport = this.parts.viewport.onChange(() => this.viewChanged());
  }

  hostDisconnected(): void {
    this.stopViewport?.();
    this.stopViewport = null;
    this.stop();
  }

  /** Who is followed, and whether at their call; null when nobody. */
  get following(): { peer: Peer; spotlight: boolean } | null {
    const peer = this.target && this.parts.presence()?.peers.get(this.target.id);
    return peer && this.target ? { peer, spotlight: this.target.spotlight } : null;
  }

  /** Follows the person with this awareness id (null: nobody). */
  follow(id: number | null, spotlight = false): void {
    const peer = id === null ? null : this.parts.presence()?.peers.get(id);
    if (!peer) {
      this.stop();
      return;
    }
    this.target = { id: peer.clientId, spotlight };
    this.lastFrame = 0;
    this.remember();
    this.schedule();
    this.parts.changed();
  }

  /** Stops following (the person stays answered: their current call does not pull us back). */
  stop(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.target) return;
    this.target = null;
    this.parts.changed();
  }

  /** The room's people changed: answer new calls to follow, follow the followed one's view. */
  peopleChanged(): void {
    const peers = this.parts.presence()?.peers;
    if (!peers) {
      this.answered.clear();
      this.stop();
      return;
    }
    for (const id of this.answered) if (!peers.get(id)?.spotlight) this.answered.delete(id);
    for (const peer of peers.values()) {
      if (!peer.spotlight || this.answered.has(peer.clientId)) continue;
      this.answered.add(peer.clientId);
      if (!this.parts.ignoresSpotlight()) this.follow(peer.clientId, true);
    }
    if (!this.target) return;
    const peer = peers.get(this.target.id);
    // They left, or ended the call we were following.
    if (!peer || (this.target.spotlight && !peer.spotlight)) this.stop();
    else this.schedule();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame((now) => this.step(now));
  }

  private step(now: number): void {
    this.frame = 0;
    const view = this.following?.peer.view;
    const { viewport } = this.parts;
    if (!view || viewport.width === 0) return;
    // Their whole view fits in ours, centred.
    const zoom = Math.min(
      MAX_ZOOM,
      Math.max(MIN_ZOOM, Math.min(viewport.width / view.width, viewport.height / view.height)),
    );
    const cx = view.x + view.width / 2;
    const cy = view.y + view.height / 2;
    const x = viewport.x + viewport.width / 2 / viewport.zoom;
    const y = viewport.y + viewport.height / 2 / viewport.zoom;
    // Asked for less motion, the view goes straight there.
    const k = reducedMotion() ? 1 : this.lastFrame ? 1 - Math.exp(-(now - this.lastFrame) / EASE_MS) : 0.25;
    this.lastFrame = now;
    const there = Math.hypot(cx - x, cy - y) * zoom < 0.5 && Math.abs(Math.log(zoom / viewport.zoom)) < 0.002;
    const nextZoom = there
      ? zoom
      : Math.exp(Math.log(viewport.zoom) + (Math.log(zoom) - Math.log(viewport.zoom)) * k);
    this.moving = true;
    try {
      viewport.centerOn(there ? { x: cx, y: cy } : { x: x + (cx - x) * k, y: y + (cy - y) * k }, nextZoom);
    } finally {
      this.moving = false;
    }
    this.remember();
    if (there) this.lastFrame = 0;
    else this.schedule();
  }

  private remember(): void {
    const { x, y, zoom, width, height } = this.parts.viewport;
    this.last = { x, y, zoom, width, height };
  }

  /** Our own pan or zoom stops following; a resize fits their view again. */
  private viewChanged(): void {
    if (this.moving || !this.target) return;
    const { x, y, zoom, width, height } = this.parts.viewport;
    const last = this.last;
    if (x !== last.x || y !== last.y || zoom !== last.zoom) {
      if (width === last.width && height === last.height) {
        this.stop();
        return;
      }
    }
    this.remember();
    this.schedule();
  }
}

/** Whether the person asked their system for less motion (`prefers-reduced-motion`). */
function reducedMotion(): boolean {
  return globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}
