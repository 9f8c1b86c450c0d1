import type { RoomId } from '@inkroom/shared';

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

/**
 * The other server processes sharing this one's rooms (Redis: see RedisCluster). Absent when the
 * process serves its rooms alone. Presence is not stored: what it loses in an outage, clients'
 * renewals (every 15 s) bring back.
 */
export interface Cluster {
  /** Starts hearing the room's presence, and asks the processes serving it for theirs. */
  join(room: RoomId, listener: PeerListener): RoomPeers;
}
