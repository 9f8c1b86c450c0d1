import {
  type Bounds,
  type ElementId,
  followLiveStroke,
  type LiveStroke,
  type LiveStrokeDelta,
  MAX_LASER_POINTS,
  type Point,
  type PresenceState,
  type PresenceUser,
  readPresence,
  type ViewRect,
} from '@inkroom/shared';
import type { Awareness } from 'y-protocols/awareness';
import { LaserTrail } from '../render/laser-trail.js';
import { paintLiveStroke } from '../render/live-stroke.js';
import type { Viewport } from '../viewport/Viewport.js';

export type UserInfo = PresenceUser;

/** Someone else in the room, as the board's presence event lists them. */
export interface Person extends PresenceUser {
  /** Their awareness client id (what `follow` takes). */
  readonly id: number;
  /** They ask everyone to follow them. */
  readonly spotlight: boolean;
}

export interface Peer {
  readonly clientId: number;
  user: PresenceUser;
  cursor: Point | null;
  selection: readonly ElementId[];
  live: LiveStroke | null;
  /** The part of the board they see (others follow it), or null. */
  view: ViewRect | null;
  /** They ask everyone to follow them. */
  spotlight: boolean;
  /** Their laser pointer's trail, as it reached us. */
  readonly laser: LaserTrail;
  /** The `seq` of the last laser points taken in (a state sent again is not drawn twice). */
  laserSeq: number;
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
  /** Our laser points not sent yet (x, y pairs), the number of the next batch, and whether it ends. */
  private laserPoints: number[] = [];
  private laserSeq = 0;
  private laserEnds = false;
  private readonly onChange = (change: { added: number[]; updated: number[]; removed: number[] }) =>
    this.handleChange(change);

  constructor(
    private readonly awareness: Awareness,
    private user: PresenceUser,
    private readonly changed: () => void,
  ) {
    awareness.on('change', this.onChange);
    awareness.setLocalState({
      user,
      cursor: null,
      selection: [],
      live: null,
      view: null,
      laser: null,
      spotlight: false,
    } satisfies PresenceState);
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

  /** Shares the part of the board we see, for whoever follows us. */
  setView(view: ViewRect): void {
    const round = (n: number) => Math.round(n * 10) / 10;
    this.queue({
      view: { x: round(view.x), y: round(view.y), width: round(view.width), height: round(view.height) },
    });
  }

  /** Asks everyone to follow our view, or stops asking. */
  setSpotlight(on: boolean): void {
    this.queue({ spotlight: on });
  }

  /** Shares a point of our laser pointer's trail; null when the pointer is lifted. */
  pointLaser(point: Point | null): void {
    if (!point) {
      // Points still waiting go out first; then the laser is off.
      if (this.laserPoints.length > 0) this.laserEnds = true;
      else this.queue({ laser: null });
      return;
    }
    this.laserEnds = false;
    this.laserPoints.push(Math.round(point.x * 10) / 10, Math.round(point.y * 10) / 10);
    // Bounded by what a reader takes: the oldest go (a stalled send, a very fast pointer).
    if (this.laserPoints.length > MAX_LASER_POINTS * 2)
      this.laserPoints.splice(0, this.laserPoints.length - MAX_LASER_POINTS * 2);
    this.queue({ laser: { seq: this.laserSeq, points: this.laserPoints } });
  }

  /** Whether someone else's laser trail is still fading (the overlay paints again next frame). */
  private paintLasers(ctx: CanvasRenderingContext2D, unit: number, now: number): boolean {
    let fading = false;
    for (const peer of this.peers.values()) fading = peer.laser.paint(ctx, unit, now) || fading;
    return fading;
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

  /** Everyone else in the room: their awareness id, name, colour and whether they ask to be followed. */
  people(): Person[] {
    return [...this.peers.values()].map(personOf);
  }

  /**
   * Other people's cursors, selections, strokes (drawn or landing) and laser trails, in board
   * coordinates; returns true while a trail is still fading.
   */
  paint(
    ctx: CanvasRenderingContext2D,
    viewport: Viewport,
    boxOf: (id: ElementId) => Bounds | null,
    has: (id: ElementId) => boolean,
  ): boolean {
    const unit = 1 / viewport.zoom;
    const now = performance.now();
    const fading = this.paintLasers(ctx, unit, now);
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
    return fading;
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
      let pending = this.pending;
      this.pending = {};
      if (pending.laser) {
        // This batch is sent: the next points are the next batch.
        pending = { ...pending, laser: { seq: pending.laser.seq, points: [...pending.laser.points] } };
        this.laserPoints = [];
        this.laserSeq++;
      }
      const current = (this.awareness.getLocalState() ?? {}) as PresenceState;
      this.awareness.setLocalState({ ...current, ...pending });
      if (pending.live) this.liveSent = pending.live.start + pending.live.points.length / 3;
      if (this.laserEnds) {
        this.laserEnds = false;
        this.queue({ laser: null });
      }
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
        view: null,
        spotlight: false,
        laser: new LaserTrail(),
        laserSeq: -1,
      };
      peer.user = state.user;
      peer.cursor = state.cursor;
      peer.selection = state.selection;
      peer.live = this.followLive(peer.live, state.live);
      peer.view = state.view;
      peer.spotlight = state.spotlight;
      this.followLaser(peer, state.laser);
      this.peers.set(id, peer);
    }
    this.changed();
  }

  /** Takes in a peer's new laser points, spread over the time since their previous batch. */
  private followLaser(peer: Peer, laser: PresenceState['laser']): void {
    const now = performance.now();
    if (!laser) {
      peer.laser.lift(now);
      peer.laserSeq = -1;
      return;
    }
    if (laser.seq === peer.laserSeq) return;
    const start = peer.laserSeq === -1;
    peer.laserSeq = laser.seq;
    const count = laser.points.length / 2;
    for (let i = 0; i < count; i++) {
      const at = now - ((count - 1 - i) * PRESENCE_INTERVAL_MS) / count;
      peer.laser.add(laser.points[i * 2]!, laser.points[i * 2 + 1]!, at, start && i === 0);
    }
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

/** Someone else in the room, as the board's events list them. */
export function personOf(peer: Peer): Person {
  return { id: peer.clientId, ...peer.user, spotlight: peer.spotlight };
}
