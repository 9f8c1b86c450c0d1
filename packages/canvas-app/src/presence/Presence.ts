import {
  type Bounds,
  type ElementId,
  followLiveStroke,
  type LiveStroke,
  type LiveStrokeDelta,
  type Point,
  type PresenceState,
  type PresenceUser,
  readPresence,
} from '@inkroom/shared';
import type { Awareness } from 'y-protocols/awareness';
import { paintLiveStroke } from '../render/live-stroke.js';
import type { Viewport } from '../viewport/Viewport.js';

export type UserInfo = PresenceUser;

export interface Peer {
  readonly clientId: number;
  user: PresenceUser;
  cursor: Point | null;
  selection: readonly ElementId[];
  live: LiveStroke | null;
}

/** Least time between two presence updates sent. */
const PRESENCE_INTERVAL_MS = 40;
/**
 * How long a finished stroke is shown while its element is on its way. The element is relayed
 * only once the server has stored it, after the pen-up that presence carries at once.
 */
const LANDING_MS = 5000;
/** Finished strokes shown at once at most, and landed ids remembered. */
const MAX_LANDING = 64;
const MAX_LANDED = 256;

/**
 * One room's presence through y-websocket's awareness: our name, colour, cursor, selection and
 * stroke in progress out; everyone else's in (read through the shared presence schema), for the
 * overlay and the people list. Built and dropped with the board's doc (see BoardSession).
 */
export class Presence {
  readonly peers = new Map<number, Peer>();
  /** Finished strokes of others, by the id of the element they become, until it arrives. */
  private readonly landing = new Map<ElementId, { stroke: LiveStroke; until: number }>();
  /** Recently landed strokes, by element id: a delta for one of them is not shown again. */
  private readonly landed = new Set<ElementId>();
  private pending: Partial<PresenceState> = {};
  /** The timer of the next send, 0 when none is due. */
  private timer = 0;
  private landingTimer = 0;
  private lastSent = Number.NEGATIVE_INFINITY;
  /** Points of our stroke in progress already handed to awareness. */
  private liveSent = 0;
  private readonly onChange = (change: { added: number[]; updated: number[]; removed: number[] }) =>
    this.handleChange(change);

  constructor(
    private readonly awareness: Awareness,
    private user: PresenceUser,
    private readonly changed: () => void,
  ) {
    awareness.on('change', this.onChange);
    awareness.setLocalState({ user, cursor: null, selection: [], live: null } satisfies PresenceState);
    this.handleChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] });
  }

  destroy(): void {
    clearTimeout(this.timer);
    clearTimeout(this.landingTimer);
    this.awareness.off('change', this.onChange);
    this.peers.clear();
    this.landing.clear();
    this.landed.clear();
  }

  setUser(user: PresenceUser): void {
    this.user = user;
    this.queue({ user });
  }

  setCursor(cursor: Point | null): void {
    this.queue({
      cursor: cursor && { x: Math.round(cursor.x * 10) / 10, y: Math.round(cursor.y * 10) / 10 },
    });
  }

  setSelection(ids: Iterable<ElementId>): void {
    this.queue({ selection: [...ids] });
  }

  /**
   * Shares our stroke in progress: `done` when the pen is up (its element is being committed),
   * null when it was abandoned.
   */
  setLive(stroke: LiveStroke | null, done = false): void {
    const waiting = this.pending.live;
    if (!stroke) {
      this.liveSent = 0;
      this.queue({ live: null });
      return;
    }
    // Points not yet sent are added to whatever delta is still waiting to be sent.
    const sameStroke = waiting?.element === stroke.element;
    const start = sameStroke ? waiting.start : this.currentStroke() === stroke.element ? this.liveSent : 0;
    const { points, ...style } = stroke;
    this.queue({ live: { ...style, start, points: points.slice(start * 3), done } });
  }

  /** Everyone else in the room, with a name and colour. */
  people(): PresenceUser[] {
    return [...this.peers.values()].map((peer) => peer.user);
  }

  /** Other people's cursors, selections and strokes (drawn or landing), in board coordinates. */
  paint(
    ctx: CanvasRenderingContext2D,
    viewport: Viewport,
    boxOf: (id: ElementId) => Bounds | null,
    has: (id: ElementId) => boolean,
  ): void {
    const unit = 1 / viewport.zoom;
    const now = performance.now();
    for (const [id, { stroke, until }] of this.landing) {
      if (has(id) || until < now) this.landing.delete(id);
      else paintLiveStroke(ctx, stroke, true);
    }
    for (const peer of this.peers.values()) {
      ctx.strokeStyle = peer.user.color;
      ctx.lineWidth = 1.5 * unit;
      for (const id of peer.selection) {
        const box = boxOf(id);
        if (box)
          ctx.strokeRect(
            box.minX - 3 * unit,
            box.minY - 3 * unit,
            box.maxX - box.minX + 6 * unit,
            box.maxY - box.minY + 6 * unit,
          );
      }
      if (peer.live) paintLiveStroke(ctx, peer.live);
      if (peer.cursor) paintCursor(ctx, peer.cursor, peer.user, unit);
    }
  }

  /** The element id of the stroke our awareness state carries, if any. */
  private currentStroke(): ElementId | null {
    const state = this.awareness.getLocalState() as { live?: LiveStrokeDelta | null } | null;
    return state?.live?.element ?? null;
  }

  private queue(change: Partial<PresenceState>): void {
    Object.assign(this.pending, change);
    if (this.timer) return;
    // At most 25 a second: the server relays a socket's presence at 30 a second by default and
    // merges what comes faster, which would drop deltas of a stroke in progress.
    const wait = Math.max(0, this.lastSent + PRESENCE_INTERVAL_MS - performance.now());
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      this.lastSent = performance.now();
      const pending = this.pending;
      this.pending = {};
      const current = (this.awareness.getLocalState() ?? {}) as PresenceState;
      this.awareness.setLocalState({ ...current, ...pending });
      if (pending.live) this.liveSent = pending.live.start + pending.live.points.length / 3;
      // A finished stroke, once sent, leaves our state: later updates (a cursor move) must not
      // carry it again.
      if (pending.live?.done) this.queue({ live: null });
    }, wait);
  }

  private handleChange({
    added,
    updated,
    removed,
  }: {
    added: number[];
    updated: number[];
    removed: number[];
  }) {
    for (const id of removed) this.peers.delete(id);
    for (const id of [...added, ...updated]) {
      if (id === this.awareness.clientID) continue;
      const state = readPresence(this.awareness.getStates().get(id));
      if (!state) {
        this.peers.delete(id);
        continue;
      }
      const peer: Peer = this.peers.get(id) ?? {
        clientId: id,
        user: state.user,
        cursor: null,
        selection: [],
        live: null,
      };
      peer.user = state.user;
      peer.cursor = state.cursor;
      peer.selection = state.selection;
      peer.live = this.followLive(peer.live, state.live);
      this.peers.set(id, peer);
    }
    this.changed();
  }

  /** A peer's stroke after a delta; a finished one waits for its element among the landing. */
  private followLive(current: LiveStroke | null, delta: LiveStrokeDelta | null): LiveStroke | null {
    // A new stroke, with the previous one's pen-up merged away on the way: that one has landed too.
    if (current && delta && delta.element !== current.element) this.land(current);
    if (!delta) return null;
    // Landed already (a resent state, or one that never cleared its pen-up): shown once only.
    if (this.landing.has(delta.element) || this.landed.has(delta.element)) return null;
    const stroke = followLiveStroke(current, delta);
    if (!delta.done || !stroke) return stroke;
    this.land(stroke);
    return null;
  }

  private land(stroke: LiveStroke): void {
    const now = performance.now();
    // Pruned here too, not only when painting: a hidden tab paints nothing.
    for (const [id, { until }] of this.landing) if (until < now) this.landing.delete(id);
    this.landing.set(stroke.element, { stroke, until: now + LANDING_MS });
    this.landed.add(stroke.element);
    // Bounded, whatever a peer sends: the oldest go first.
    for (const id of this.landing.keys()) {
      if (this.landing.size <= MAX_LANDING) break;
      this.landing.delete(id);
    }
    for (const id of this.landed) {
      if (this.landed.size <= MAX_LANDED) break;
      this.landed.delete(id);
    }
    // Repaint once it has expired, in case its element never comes.
    clearTimeout(this.landingTimer);
    this.landingTimer = window.setTimeout(() => this.changed(), LANDING_MS + 50);
  }
}

function paintCursor(ctx: CanvasRenderingContext2D, at: Point, user: PresenceUser, unit: number): void {
  ctx.save();
  ctx.translate(at.x, at.y);
  ctx.scale(unit, unit);
  ctx.fillStyle = user.color;
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(0, 0);
  ctx.lineTo(0, 17);
  ctx.lineTo(4.5, 12.5);
  ctx.lineTo(11, 12.5);
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  ctx.font = '12px system-ui, sans-serif';
  const label = user.name.slice(0, 32);
  const width = ctx.measureText(label).width + 10;
  ctx.fillRect(10, 16, width, 18);
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, 15, 25);
  ctx.restore();
}
