import type { ElementId, Point } from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Awareness } from 'y-protocols/awareness';
import type { LiveStroke } from '../tools/Tool.js';
import type { Viewport } from '../viewport/Viewport.js';

export interface UserInfo {
  name: string;
  color: string;
}

/**
 * A stroke in progress travels as deltas: each awareness update carries only the points added
 * since the previous one (`start` is the index of the first), so a long stroke is never resent.
 */
interface LiveDelta {
  id: string;
  start: number;
  points: number[];
  brush: 'pen' | 'highlighter';
  color: string;
  width: number;
}

interface PresenceState {
  user?: UserInfo;
  cursor?: Point | null;
  selection?: string[];
  live?: LiveDelta | null;
}

export interface Peer {
  readonly clientId: number;
  user: UserInfo;
  cursor: Point | null;
  selection: string[];
  live: { id: string; stroke: LiveStroke } | null;
}

/** Least time between two presence updates sent. */
const PRESENCE_INTERVAL_MS = 40;

/**
 * Presence through y-websocket's awareness: our name, colour, cursor, selection and stroke in
 * progress out; everyone else's in, for the overlay and the people list.
 */
export class PresenceController implements ReactiveController {
  private awareness: Awareness | null = null;
  readonly peers = new Map<number, Peer>();
  private user: UserInfo = { name: 'Guest', color: '#4c6ef5' };
  private pending: Partial<PresenceState> = {};
  /** The timer of the next send, 0 when none is due. */
  private timer = 0;
  private lastSent = Number.NEGATIVE_INFINITY;
  private liveId = '';
  private liveSent = 0;
  private readonly onChange = (change: { added: number[]; updated: number[]; removed: number[] }) =>
    this.handleChange(change);

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly repaint: () => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.detach();
  }

  attach(awareness: Awareness): void {
    this.detach();
    this.awareness = awareness;
    awareness.on('change', this.onChange);
    awareness.setLocalState({
      user: this.user,
      cursor: null,
      selection: [],
      live: null,
    } satisfies PresenceState);
    this.handleChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] });
  }

  detach(): void {
    clearTimeout(this.timer);
    this.timer = 0;
    // Nothing of the old room (its selection ids, a stroke in progress) may reach the next one.
    this.pending = {};
    this.liveId = '';
    this.liveSent = 0;
    this.awareness?.off('change', this.onChange);
    this.awareness = null;
    this.peers.clear();
  }

  setUser(user: UserInfo): void {
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

  /** Shares our stroke in progress; null when it ends (the element itself arrives by sync). */
  setLive(stroke: LiveStroke | null): void {
    if (!stroke) {
      this.liveId = '';
      this.liveSent = 0;
      this.queue({ live: null });
      return;
    }
    if (!this.liveId) {
      this.liveId = Math.random().toString(36).slice(2, 10);
      this.liveSent = 0;
    }
    // Points not yet sent are added to whatever delta is still waiting to be sent.
    const waiting = this.pending.live;
    const start = waiting && waiting.id === this.liveId ? waiting.start : this.liveSent;
    this.queue({
      live: {
        id: this.liveId,
        start,
        points: stroke.points.slice(start * 3),
        brush: stroke.brush,
        color: stroke.color,
        width: stroke.width,
      },
    });
  }

  /** Everyone else in the room, with a name and colour. */
  people(): UserInfo[] {
    return [...this.peers.values()].map((peer) => peer.user);
  }

  /** Other people's cursors, selections and strokes in progress, in board coordinates. */
  paint(
    ctx: CanvasRenderingContext2D,
    viewport: Viewport,
    selectionBox: (id: string) => { minX: number; minY: number; maxX: number; maxY: number } | null,
  ): void {
    const unit = 1 / viewport.zoom;
    for (const peer of this.peers.values()) {
      ctx.strokeStyle = peer.user.color;
      ctx.lineWidth = 1.5 * unit;
      for (const id of peer.selection) {
        const box = selectionBox(id);
        if (box)
          ctx.strokeRect(
            box.minX - 3 * unit,
            box.minY - 3 * unit,
            box.maxX - box.minX + 6 * unit,
            box.maxY - box.minY + 6 * unit,
          );
      }
      if (peer.live) paintPeerStroke(ctx, peer.live.stroke);
      if (peer.cursor) paintCursor(ctx, peer.cursor, peer.user, unit);
    }
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
      if (!this.awareness) return;
      const current = (this.awareness.getLocalState() ?? {}) as PresenceState;
      this.awareness.setLocalState({ ...current, ...pending });
      if (pending.live) this.liveSent = pending.live.start + pending.live.points.length / 3;
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
  }): void {
    const awareness = this.awareness;
    if (!awareness) return;
    for (const id of removed) this.peers.delete(id);
    for (const id of [...added, ...updated]) {
      if (id === awareness.clientID) continue;
      const state = awareness.getStates().get(id) as PresenceState | undefined;
      if (!state?.user) {
        this.peers.delete(id);
        continue;
      }
      const peer = this.peers.get(id) ?? {
        clientId: id,
        user: state.user,
        cursor: null,
        selection: [],
        live: null,
      };
      peer.user = state.user;
      peer.cursor = state.cursor ?? null;
      peer.selection = state.selection ?? [];
      peer.live = mergeLive(peer.live, state.live ?? null);
      this.peers.set(id, peer);
    }
    this.repaint();
    this.host.requestUpdate();
  }
}

function mergeLive(current: Peer['live'], delta: LiveDelta | null): Peer['live'] {
  if (!delta) return null;
  const points = current && current.id === delta.id ? current.stroke.points.slice(0, delta.start * 3) : [];
  // A gap (we joined mid-stroke, or missed a delta) leaves the stroke as it is until the commit.
  if (points.length !== delta.start * 3) return current;
  points.push(...delta.points);
  return { id: delta.id, stroke: { brush: delta.brush, color: delta.color, width: delta.width, points } };
}

function paintPeerStroke(ctx: CanvasRenderingContext2D, stroke: LiveStroke): void {
  ctx.save();
  ctx.globalAlpha = stroke.brush === 'highlighter' ? 0.4 : 1;
  ctx.strokeStyle = stroke.color;
  ctx.lineWidth = stroke.brush === 'highlighter' ? stroke.width * 4 : stroke.width * 1.6;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  for (let i = 0; i + 2 < stroke.points.length; i += 3) {
    if (i === 0) ctx.moveTo(stroke.points[i]!, stroke.points[i + 1]!);
    else ctx.lineTo(stroke.points[i]!, stroke.points[i + 1]!);
  }
  ctx.stroke();
  ctx.restore();
}

function paintCursor(ctx: CanvasRenderingContext2D, at: Point, user: UserInfo, unit: number): void {
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
