import { CloseCode, encodeAwareness, ProtocolError, readPresence } from '@inkroom/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { RoomLimits } from '../config.js';

/** Who may speak for an awareness client id: the socket that first announced it. */
export type AwarenessOwner = object;

/** Another server process serving the room, as the owner of its sockets' client ids. */
class RemoteNode {
  constructor(readonly id: string) {}
}

/** What one socket's presence may hold, from its session. */
export interface PresencePolicy {
  /** Client ids it may speak for. */
  maxClients: number;
  /** Top-level state fields it may publish; null: any. */
  fields: readonly string[] | null;
  /** A name its states' `user.name` is set to (the token's `name`); null: as sent. */
  name: string | null;
}

/** A state as the policy allows it (JSON text in, JSON text out). */
function restrictState(state: string, policy: PresencePolicy): string {
  const value = JSON.parse(state) as unknown;
  if (value === null) return state;
  // Under a field list, anything but a plain object would carry what the list leaves out.
  if (typeof value !== 'object' || Array.isArray(value)) return policy.fields ? '{}' : state;
  const record = value as Record<string, unknown>;
  const kept: Record<string, unknown> = policy.fields
    ? Object.fromEntries(Object.entries(record).filter(([key]) => policy.fields!.includes(key)))
    : record;
  if (policy.name !== null && kept.user && typeof kept.user === 'object')
    kept.user = { ...(kept.user as Record<string, unknown>), name: policy.name };
  return JSON.stringify(kept);
}

interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: string;
}

/** Splits an awareness update (y-protocols format) into its entries, states left as JSON text. */
function decodeEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const entry = {
      clientId: decoding.readVarUint(decoder),
      clock: decoding.readVarUint(decoder),
      state: decoding.readVarString(decoder),
    };
    // y-protocols applies entries one by one and would stop half way at a bad one.
    JSON.parse(entry.state);
    entries.push(entry);
  }
  if (decoding.hasContent(decoder)) throw new Error('bytes after the awareness update');
  return entries;
}

function encodeEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Merges two awareness frames of one socket into one carrying the latest state of each client id
 * (the newer frame wins a tie). Null when either does not decode: then the newer one stands.
 */
export function mergeAwarenessFrames(older: Uint8Array, newer: Uint8Array): Uint8Array | null {
  try {
    const latest = new Map<number, AwarenessEntry>();
    for (const frame of [older, newer]) {
      const decoder = decoding.createDecoder(frame);
      if (decoding.readVarUint(decoder) !== 1) return null;
      for (const entry of decodeEntries(decoding.readVarUint8Array(decoder))) {
        const kept = latest.get(entry.clientId);
        if (!kept || kept.clock <= entry.clock) latest.set(entry.clientId, entry);
      }
    }
    return encodeAwareness(encodeEntries([...latest.values()]));
  } catch {
    return null;
  }
}

/**
 * A room's presence: relays awareness updates and removes a socket's states when it leaves.
 * A client id belongs to the socket that first changed its state. Entries for ids owned by
 * another socket are dropped (the stock client echoes every state it receives, so these are
 * normal and must not close the socket; a forged one just has no effect), and a socket may own
 * only a few ids, so one client can neither erase another's cursor nor flood the room.
 *
 * With other server processes serving the room (`share`), what this process's sockets change is
 * shared with them, and what theirs change comes in through `applyRemote`, owned by their
 * process. A socket here takes over a client id a process there owned (a client that moved).
 */
export class RoomAwareness {
  readonly awareness: Awareness;
  private readonly owners = new Map<number, AwarenessOwner>();
  private readonly owned = new Map<AwarenessOwner, Set<number>>();
  /** Client ids changed while the room's relay budget was spent, sent together when it refills. */
  private readonly dirty = new Set<number>();
  /** Client ids this process's sockets changed, shared with the other processes at the next relay. */
  private readonly outgoing = new Set<number>();
  private readonly nodes = new Map<string, RemoteNode>();
  /** Sockets that sent presence already. */
  private readonly spoken = new WeakSet<AwarenessOwner>();
  private tokens: number;
  private refilledAt = performance.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    doc: Y.Doc,
    private readonly limits: RoomLimits,
    private readonly broadcast: (update: Uint8Array) => void,
    private readonly share: ((update: Uint8Array) => void) | null = null,
  ) {
    this.tokens = limits.roomAwarenessPerSecond;
    this.awareness = new Awareness(doc);
    // The server is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])];
      for (const id of removed ?? []) this.disown(id);
      if (origin && typeof origin === 'object') {
        for (const id of [...(added ?? []), ...(updated ?? [])]) this.own(id, origin);
        // A socket's own change, or its states removed as it left ('timeout' removals are each
        // process's own).
        if (this.share && !(origin instanceof RemoteNode)) for (const id of changed) this.outgoing.add(id);
      }
      if (changed.length > 0) this.relay(changed);
    });
  }

  /** Applies a client's awareness update; throws ProtocolError when it breaks the rules. */
  apply(update: Uint8Array, from: AwarenessOwner, policy: PresencePolicy): void {
    if (update.length > this.limits.maxAwarenessBytes) {
      throw new ProtocolError(CloseCode.AwarenessRejected, `awareness update of ${update.length} bytes`);
    }
    let entries: AwarenessEntry[];
    try {
      entries = decodeEntries(update);
    } catch {
      throw new ProtocolError(CloseCode.MalformedMessage, 'undecodable awareness update');
    }
    const owned = this.owned.get(from);
    // A client that moved here from another process (which stopped) says who it is first, alone
    // (the stock client sends its own state as its socket opens): its id is taken over from that
    // process. The stock client echoes every state it hears, so no later message takes any over.
    const first = !this.spoken.has(from);
    if (first) this.spoken.add(from);
    const moving = first && entries.length === 1;
    let allowed = entries.filter((entry) => {
      const owner = this.owners.get(entry.clientId);
      return owner === undefined || owner === from || (moving && owner instanceof RemoteNode);
    });
    if (allowed.length === 0) return;
    // Counted before applying: ids past the limit must not reach anyone, even for a moment.
    const limit = Math.min(policy.maxClients, this.limits.maxAwarenessClientsPerConnection);
    const added = new Set(
      allowed.filter((e) => e.state !== 'null' && !owned?.has(e.clientId)).map((e) => e.clientId),
    );
    if ((owned?.size ?? 0) + added.size > limit) {
      this.removeOwner(from);
      throw new ProtocolError(
        CloseCode.AwarenessRejected,
        `socket speaks for ${(owned?.size ?? 0) + added.size} awareness client ids`,
      );
    }
    const restricted = policy.fields !== null || policy.name !== null;
    if (restricted)
      allowed = allowed.map((entry) => ({ ...entry, state: restrictState(entry.state, policy) }));
    const moved = moving ? this.movedFrom(allowed, from) : [];
    try {
      applyAwarenessUpdate(
        this.awareness,
        allowed.length === entries.length && !restricted ? update : encodeEntries(allowed),
        from,
      );
    } catch {
      throw new ProtocolError(CloseCode.MalformedMessage, 'undecodable awareness state');
    }
    const taken = this.takeOver(moved, from);
    // The other processes switch owners too, before the one it left is found gone.
    if (taken.length > 0) this.share?.(encodeAwarenessUpdate(this.awareness, taken));
  }

  /** Client ids of `entries` with a state, owned by another process than `to`'s. */
  private movedFrom(entries: readonly AwarenessEntry[], to: AwarenessOwner): number[] {
    return entries
      .filter((entry) => {
        const owner = this.owners.get(entry.clientId);
        return entry.state !== 'null' && owner instanceof RemoteNode && owner !== to;
      })
      .map((entry) => entry.clientId);
  }

  /**
   * A client that moved here from another process (which stopped) sends the state it had there,
   * its clock unchanged: y-protocols keeps the state it has and tells nobody, so the client id is
   * taken over here, by hand. Returns the ids taken over that way.
   */
  private takeOver(ids: readonly number[], to: AwarenessOwner): number[] {
    const taken = ids.filter((id) => this.owners.get(id) !== to && this.awareness.getStates().has(id));
    for (const id of taken) this.own(id, to);
    return taken;
  }

  /**
   * Applies another process's presence change (checked by that process) for its sockets' client
   * ids; entries for ids a socket of this process owns are dropped.
   */
  applyRemote(update: Uint8Array, node: string): void {
    let owner = this.nodes.get(node);
    if (!owner) {
      owner = new RemoteNode(node);
      this.nodes.set(node, owner);
    }
    let entries: AwarenessEntry[];
    try {
      entries = decodeEntries(update);
    } catch {
      return;
    }
    const allowed = entries.filter((entry) => {
      const current = this.owners.get(entry.clientId);
      return current === undefined || current instanceof RemoteNode;
    });
    if (allowed.length === 0) return;
    const moved = this.movedFrom(allowed, owner);
    try {
      applyAwarenessUpdate(
        this.awareness,
        allowed.length === entries.length ? update : encodeEntries(allowed),
        owner,
      );
    } catch {
      // What another process sent was checked there; a state that does not apply is dropped.
    }
    this.takeOver(moved, owner);
  }

  /** Removes the states of another process's sockets (it stopped), telling the sockets here. */
  removeNode(node: string): void {
    const owner = this.nodes.get(node);
    if (!owner) return;
    this.nodes.delete(node);
    this.removeOwner(owner);
  }

  /** Every current state, as one awareness update; null when nobody has presence. */
  encodeAll(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    return ids.length > 0 ? encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  /** The states of this process's sockets, as one awareness update; null when they have none. */
  encodeLocal(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()].filter((id) => {
      const owner = this.owners.get(id);
      return owner !== undefined && !(owner instanceof RemoteNode);
    });
    return ids.length > 0 ? encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  /**
   * Removes the states a socket spoke for, telling everyone else. (A client that reconnected
   * before its old socket was dropped reappears with its next renewal, within 15 s.)
   */
  /** The name the first of an owner's states gives (the schema's `user.name`), or null. */
  nameOf(owner: AwarenessOwner): string | null {
    for (const id of this.owned.get(owner) ?? []) {
      const name = readPresence(this.awareness.getStates().get(id))?.user.name;
      if (name) return name;
    }
    return null;
  }

  removeOwner(owner: AwarenessOwner): void {
    const ids = this.owned.get(owner);
    if (ids && ids.size > 0) removeAwarenessStates(this.awareness, [...ids], owner);
    this.owned.delete(owner);
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.awareness.destroy();
  }

  /**
   * Relays changed states, within the room's budget of `roomAwarenessPerSecond` messages (a
   * second's worth at once at most). Past it, changes wait and go out together, each client id
   * with its latest state, when the budget allows one more message.
   */
  private relay(changed: readonly number[]): void {
    const rate = this.limits.roomAwarenessPerSecond;
    const now = performance.now();
    this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.dirty.size === 0 && this.tokens >= 1) {
      this.tokens--;
      this.broadcast(encodeAwarenessUpdate(this.awareness, [...changed]));
      if (this.outgoing.size > 0) {
        this.share?.(encodeAwarenessUpdate(this.awareness, [...this.outgoing]));
        this.outgoing.clear();
      }
      return;
    }
    for (const id of changed) this.dirty.add(id);
    this.timer ??= setTimeout(
      () => {
        this.timer = null;
        const ids = [...this.dirty];
        this.dirty.clear();
        this.relay(ids);
      },
      Math.max(1, Math.ceil(((1 - this.tokens) / rate) * 1000)),
    );
  }

  private own(id: number, owner: AwarenessOwner): void {
    const previous = this.owners.get(id);
    if (previous === owner) return;
    // Taken over from another process (the client moved here, or between two others).
    if (previous !== undefined) this.owned.get(previous)?.delete(id);
    this.owners.set(id, owner);
    let ids = this.owned.get(owner);
    if (!ids) {
      ids = new Set();
      this.owned.set(owner, ids);
    }
    ids.add(id);
  }

  private disown(id: number): void {
    const owner = this.owners.get(id);
    if (owner === undefined) return;
    this.owners.delete(id);
    this.owned.get(owner)?.delete(id);
  }
}
