import type { CloseCode, RoomId } from '@inkroom/shared';
import type { SessionMatch } from './Session.js';

/** What a room hears from the other server processes serving it. */
export interface PeerListener {
  /** Another process's presence change (an awareness update its sockets made). */
  presence(update: Uint8Array, node: string): void;
  /** Another process started serving the room and asks for this one's presence. */
  asked(): void;
  /** A process stopped (its heartbeat expired): the presence of its sockets must go. */
  gone(node: string): void;
}

/** A room's line to the other processes serving it; `leave` when the room unloads. */
export interface RoomPeers {
  /** Sends a presence change of this process's sockets to the others. */
  publish(update: Uint8Array): void;
  leave(): void;
}

/** What one process did that the others must act on at once (their stored state is shared already). */
export type ClusterEvent =
  /** Access was revoked or changed: the matching sockets close with `code`. */
  | { readonly type: 'sessions-end'; readonly match: SessionMatch; readonly code: CloseCode }
  /** The room was deleted: its sockets close with 4410 and it takes no write. */
  | { readonly type: 'room-deleted'; readonly room: RoomId }
  /** The operator kicked the room's sockets (4409). */
  | { readonly type: 'room-kicked'; readonly room: RoomId };

/**
 * The other server processes sharing this one's rooms (Redis: see RedisCluster). Absent when the
 * process serves its rooms alone. Presence is not stored: what it loses in an outage, clients'
 * renewals (every 15 s) bring back. Events go to the processes running when they are announced.
 */
export interface Cluster {
  /** Starts hearing the room's presence, and asks the processes serving it for theirs. */
  join(room: RoomId, listener: PeerListener): RoomPeers;
  /** Tells every other process. */
  announce(event: ClusterEvent): void;
  /** Calls `listener` with each event another process announces. */
  onEvent(listener: (event: ClusterEvent) => void): void;
  /**
   * Calls `listener` when the shared store stops answering: nothing can be relayed, so every
   * room's sockets are closed (4500; clients retry until it answers again).
   */
  onUnavailable(listener: () => void): void;
}
