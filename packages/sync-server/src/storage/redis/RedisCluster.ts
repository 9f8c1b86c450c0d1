import type { RoomId } from '@inkroom/shared';
import type { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Cluster, ClusterEvent, PeerListener, RoomPeers } from '../../core/Cluster.js';

/*
 * Keys and channels, under the store's prefix:
 *   <p>:node:<node id>                a process's heartbeat: set every HEARTBEAT_MS, expires after NODE_TTL_MS
 *   <p>:presence:{<enc room>}         a room's presence channel (pub/sub): messages of MessageKind
 *   <p>:events                        every process's channel: ClusterEvents (MessageKind.Event)
 */

/** How often a process renews its heartbeat key, and looks at the others'. */
export const HEARTBEAT_MS = 1000;
/** A process whose heartbeat key is not renewed for this long is gone: its sockets' presence goes. */
export const NODE_TTL_MS = 5000;

enum MessageKind {
  /** An awareness update of the sender's sockets. */
  Presence = 0,
  /** The sender started serving the room: everyone answers with their sockets' presence. */
  Ask = 1,
  /** A ClusterEvent, as JSON. */
  Event = 2,
}

interface Joined {
  readonly listener: PeerListener;
}

/**
 * {@link Cluster} on Redis: presence goes over one pub/sub channel a room (a process subscribes
 * while it serves the room), each message tagged with the process that sent it. Pub/sub may drop
 * a message (a slow subscriber, a reconnect): presence is renewed by every client every 15 s, so
 * what is dropped comes back; the document never goes this way (it is read from the log).
 * Each process keeps a heartbeat key; when the key of a process heard from expires, its sockets'
 * presence is removed from every room here.
 */
export class RedisCluster implements Cluster {
  private readonly rooms = new Map<string, Joined>();
  /** Processes heard from, whose heartbeat is watched. */
  private readonly peers = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  private readonly eventListeners: ((event: ClusterEvent) => void)[] = [];
  private readonly unavailableListeners: (() => void)[] = [];
  /** Whether the last heartbeat was answered. */
  private available = true;

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly nodeId: string,
    private readonly prefix: string,
  ) {
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.heard(channel, message));
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Starts this process's heartbeat and a subscriber connection beside `redis`. */
  static async start(redis: Redis, nodeId: string, prefix = 'inkroom'): Promise<RedisCluster> {
    // Subscriptions are made again by ioredis when it reconnects; they may wait meanwhile.
    const subscriber = redis.duplicate({ enableOfflineQueue: true, enableAutoPipelining: false });
    subscriber.on('error', () => {});
    const cluster = new RedisCluster(redis, subscriber, nodeId, prefix);
    try {
      await Promise.all([cluster.beat(), subscriber.subscribe(cluster.eventsChannel)]);
    } catch (error) {
      // Its timer and subscriber go with it.
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  private get eventsChannel(): string {
    return `${this.prefix}:events`;
  }

  announce(event: ClusterEvent): void {
    this.send(this.eventsChannel, MessageKind.Event, new TextEncoder().encode(JSON.stringify(event)));
  }

  onEvent(listener: (event: ClusterEvent) => void): void {
    this.eventListeners.push(listener);
  }

  onUnavailable(listener: () => void): void {
    this.unavailableListeners.push(listener);
  }

  join(room: RoomId, listener: PeerListener): RoomPeers {
    const channel = `${this.prefix}:presence:{${encodeURIComponent(room)}}`;
    const joined: Joined = { listener };
    this.rooms.set(channel, joined);
    this.subscriber.subscribe(channel).then(
      () => this.send(channel, MessageKind.Ask, new Uint8Array(0)),
      () => {},
    );
    return {
      publish: (update) => this.send(channel, MessageKind.Presence, update),
      leave: () => {
        if (this.rooms.get(channel) !== joined) return;
        this.rooms.delete(channel);
        void this.subscriber.unsubscribe(channel).catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    // The others see this process gone at once rather than after NODE_TTL_MS.
    await this.redis.del(this.nodeKey(this.nodeId)).catch(() => {});
    this.subscriber.disconnect();
  }

  private nodeKey(node: string): string {
    return `${this.prefix}:node:${node}`;
  }

  /** Presence is best effort: a message Redis does not take is renewed by its client later. */
  private send(channel: string, kind: MessageKind, payload: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, kind);
    encoding.writeVarString(encoder, this.nodeId);
    encoding.writeVarUint8Array(encoder, payload);
    void this.redis.publish(channel, Buffer.from(encoding.toUint8Array(encoder))).catch(() => {});
  }

  private heard(channel: Buffer, message: Buffer): void {
    const name = channel.toString();
    const joined = this.rooms.get(name);
    if (!joined && name !== this.eventsChannel) return;
    let kind: number;
    let node: string;
    let payload: Uint8Array;
    try {
      const decoder = decoding.createDecoder(message);
      kind = decoding.readVarUint(decoder);
      node = decoding.readVarString(decoder);
      payload = decoding.readVarUint8Array(decoder);
    } catch {
      return;
    }
    // Every subscriber gets what it published too.
    if (node === this.nodeId) return;
    if (!joined) {
      if (kind === MessageKind.Event) this.dispatch(payload);
      return;
    }
    this.peers.add(node);
    if (kind === MessageKind.Presence) joined.listener.presence(payload, node);
    else if (kind === MessageKind.Ask) joined.listener.asked();
  }

  private dispatch(payload: Uint8Array): void {
    let event: ClusterEvent;
    try {
      event = JSON.parse(new TextDecoder().decode(payload)) as ClusterEvent;
    } catch {
      return;
    }
    for (const listener of this.eventListeners) listener(event);
  }

  private beat(): Promise<unknown> {
    return this.redis.set(this.nodeKey(this.nodeId), '1', 'PX', NODE_TTL_MS);
  }

  /**
   * Renews this process's heartbeat, and removes the presence of processes whose heartbeat
   * expired. A heartbeat not answered (within the command timeout) means Redis is unavailable:
   * told once, until one is answered again.
   */
  private async tick(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const peers = [...this.peers];
      const [, ...alive] = await Promise.all([
        this.beat().catch((error: unknown) => {
          if (this.available) {
            this.available = false;
            for (const listener of this.unavailableListeners) listener();
          }
          throw error;
        }),
        ...peers.map((node) => this.redis.exists(this.nodeKey(node))),
      ]);
      this.available = true;
      for (const [i, node] of peers.entries()) {
        if (alive[i] !== 0) continue;
        this.peers.delete(node);
        for (const { listener } of this.rooms.values()) listener.gone(node);
      }
    } catch {
      // Redis unreachable: nobody is judged gone on what could not be read.
    } finally {
      this.checking = false;
    }
  }
}
