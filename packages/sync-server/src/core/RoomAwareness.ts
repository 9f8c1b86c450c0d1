import { CloseCode, ProtocolError } from '@inkroom/shared';
import * as decoding from 'lib0/decoding';
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

/** The client ids an awareness update speaks for (its states are left to y-protocols). */
function clientIdsOf(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder);
    decoding.readVarString(decoder);
  }
  if (decoding.hasContent(decoder)) throw new Error('bytes after the awareness update');
  return ids;
}

/**
 * A room's presence: relays awareness updates and removes a socket's states when it leaves.
 * Each socket may speak only for client ids it announced itself, and only for a few, so one
 * client can neither erase another's cursor nor flood the room with presence.
 */
export class RoomAwareness {
  readonly awareness: Awareness;
  private readonly owners = new Map<number, AwarenessOwner>();
  private readonly owned = new Map<AwarenessOwner, Set<number>>();

  constructor(
    doc: Y.Doc,
    private readonly limits: RoomLimits,
    broadcast: (update: Uint8Array) => void,
  ) {
    this.awareness = new Awareness(doc);
    // The server is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])];
      for (const id of removed ?? []) this.disown(id);
      if (origin && typeof origin === 'object') {
        for (const id of [...(added ?? []), ...(updated ?? [])]) this.own(id, origin);
      }
      if (changed.length > 0) broadcast(encodeAwarenessUpdate(this.awareness, changed));
    });
  }

  /** Applies a client's awareness update; throws ProtocolError when it breaks the rules. */
  apply(update: Uint8Array, from: AwarenessOwner): void {
    if (update.length > this.limits.maxAwarenessBytes) {
      throw new ProtocolError(CloseCode.AwarenessRejected, `awareness update of ${update.length} bytes`);
    }
    let ids: number[];
    try {
      ids = clientIdsOf(update);
    } catch {
      throw new ProtocolError(CloseCode.MalformedMessage, 'undecodable awareness update');
    }
    const mine = this.owned.get(from);
    let newIds = 0;
    for (const id of ids) {
      const owner = this.owners.get(id);
      if (owner !== undefined && owner !== from) {
        throw new ProtocolError(CloseCode.AwarenessRejected, `client id ${id} belongs to another socket`);
      }
      if (owner === undefined && !mine?.has(id)) newIds++;
    }
    if ((mine?.size ?? 0) + newIds > this.limits.maxAwarenessClientsPerConnection) {
      throw new ProtocolError(CloseCode.AwarenessRejected, 'too many awareness client ids');
    }
    try {
      applyAwarenessUpdate(this.awareness, update, from);
    } catch {
      throw new ProtocolError(CloseCode.MalformedMessage, 'undecodable awareness state');
    }
  }

  /** Every current state, as one awareness update; null when nobody has presence. */
  encodeAll(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    return ids.length > 0 ? encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  /** Removes the states a socket spoke for, telling everyone else. */
  removeOwner(owner: AwarenessOwner): void {
    const ids = this.owned.get(owner);
    if (ids && ids.size > 0) removeAwarenessStates(this.awareness, [...ids], null);
    this.owned.delete(owner);
  }

  destroy(): void {
    this.awareness.destroy();
  }

  private own(id: number, owner: AwarenessOwner): void {
    if (this.owners.get(id) === owner) return;
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
