import { CloseCode, type RoomId } from '@inkroom/shared';
import type { CoreLimits } from '../config.js';
import type { RoomStore } from '../storage/RoomStore.js';
import { FixedWindowLimiter } from './FixedWindowLimiter.js';
import type { RoomRegistry } from './RoomRegistry.js';

/**
 * The address limits count by: an IPv4 address as it is, an IPv6 address by its /64 (one
 * subscriber's network; anyone with one has billions of addresses in it).
 */
export function addressKey(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Who may come in, before a socket joins its room: connections per client address, new rooms per
 * address a minute (a room counts once, however many sockets come for it together), and no room
 * that is deleted (checked before it is loaded).
 */
export class Admission {
  private readonly perAddress = new Map<string, number>();
  private readonly newRooms: FixedWindowLimiter;
  /** Rooms counted as new this minute, on their way into the registry or just created. */
  private counted = new Set<RoomId>();
  private countedSince = Date.now();

  constructor(
    private readonly limits: CoreLimits,
    private readonly store: RoomStore,
    private readonly registry: RoomRegistry,
  ) {
    this.newRooms = new FixedWindowLimiter(limits.newRoomsPerMinute);
  }

  /** A socket from `address` arrives: false past `maxConnectionsPerIp` (it is then not counted). */
  enter(address: string): boolean {
    const key = addressKey(address);
    const open = this.perAddress.get(key) ?? 0;
    if (open >= this.limits.maxConnectionsPerIp) return false;
    this.perAddress.set(key, open + 1);
    return true;
  }

  leave(address: string): void {
    const key = addressKey(address);
    const left = (this.perAddress.get(key) ?? 1) - 1;
    if (left > 0) this.perAddress.set(key, left);
    else this.perAddress.delete(key);
  }

  /**
   * Counts a new room against `address`; false past `newRoomsPerMinute`. A named room counts once:
   * a room already counted (by `POST /api/rooms`, or another socket) is let through, and so is
   * the name of a room just created with a count taken for it before (`afterTaking`).
   */
  takeNewRoom(address: string, room: RoomId | null, afterTaking = false): boolean {
    if (Date.now() - this.countedSince >= 60_000) {
      this.counted = new Set();
      this.countedSince = Date.now();
    }
    if (room && this.counted.has(room)) return true;
    if (!afterTaking && !this.newRooms.take(addressKey(address))) return false;
    if (room) this.counted.add(room);
    return true;
  }

  /** Why a socket may not open `room` (4410 deleted, 4508 too many new rooms), or null. */
  async refusal(room: RoomId, address: string): Promise<CloseCode | null> {
    if (this.registry.has(room) || this.counted.has(room)) return null;
    const [deletedAt, stored] = await Promise.all([this.store.deletedAt(room), this.store.has(room)]);
    if (deletedAt !== null) return CloseCode.RoomDeleted;
    if (stored || this.registry.has(room)) return null;
    return this.takeNewRoom(address, room) ? null : CloseCode.TooManyFromAddress;
  }
}
