import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DEFAULT_CONFIG } from '../config.js';
import { type PresencePolicy, RoomAwareness } from './RoomAwareness.js';

const OPEN: PresencePolicy = { maxClients: 8, fields: null, name: null };

/** Everything a test made, destroyed after it (awareness keeps a timer). */
const made: { destroy(): void }[] = [];

/** A client's presence: its own awareness, and the update it sends for its state. */
function person(name: string) {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  made.push(awareness);
  awareness.setLocalStateField('user', { name });
  return {
    id: doc.clientID,
    awareness,
    /** Its own state, as the stock client sends it when its socket opens or its state changes. */
    own: () => encodeAwarenessUpdate(awareness, [doc.clientID]),
    move: (x: number) => awareness.setLocalStateField('cursor', { x, y: 0 }),
  };
}

/**
 * Two server processes' presence for one room, wired to each other as the cluster would (what
 * one shares, the other applies as from it). Each records what it relays to its own sockets.
 */
function twoProcesses() {
  const relayed: Record<'one' | 'two', Uint8Array[]> = { one: [], two: [] };
  const processes: Record<'one' | 'two', RoomAwareness> = {} as never;
  const limits = { ...DEFAULT_CONFIG, roomAwarenessPerSecond: 1_000_000 };
  for (const [name, other] of [
    ['one', 'two'],
    ['two', 'one'],
  ] as const) {
    processes[name] = new RoomAwareness(
      new Y.Doc(),
      limits,
      (update) => relayed[name].push(update),
      (update) => processes[other].applyRemote(update, name),
    );
  }
  made.push(processes.one, processes.two);
  return { ...processes, relayed };
}

const has = (presence: RoomAwareness, id: number) => presence.awareness.getStates().has(id);

describe('RoomAwareness across processes', () => {
  afterEach(() => {
    for (const thing of made.splice(0)) thing.destroy();
  });

  it("shares its sockets' presence, and removes another process's when it is gone", () => {
    const { one, two } = twoProcesses();
    const ann = person('ann');
    const bob = person('bob');
    const annSocket = {};
    const bobSocket = {};
    one.apply(ann.own(), annSocket, OPEN);
    two.apply(bob.own(), bobSocket, OPEN);
    expect(has(two, ann.id) && has(one, bob.id)).toBe(true);
    // Bob's client echoes Ann's state it heard: it takes nothing over.
    two.apply(encodeAwarenessUpdate(ann.awareness, [ann.id]), bobSocket, OPEN);
    one.removeNode('two');
    expect(has(one, bob.id)).toBe(false);
    expect(has(one, ann.id)).toBe(true);
    // Ann leaves: her state goes on the other process too.
    one.removeOwner(annSocket);
    expect(has(two, ann.id)).toBe(false);
  });

  it('a client that moves to another process keeps its presence there when the first is found gone', () => {
    const { one, two } = twoProcesses();
    const ann = person('ann');
    ann.move(1);
    one.apply(ann.own(), {}, OPEN);
    expect(has(two, ann.id)).toBe(true);
    // Process one stops; Ann's client opens a socket to two and says who it is, clock unchanged.
    const moved = {};
    two.apply(ann.own(), moved, OPEN);
    two.removeNode('one');
    expect(has(two, ann.id)).toBe(true);
    expect(two.encodeLocal()).not.toBeNull();
    // Her state is her new socket's: it goes when she leaves.
    two.removeOwner(moved);
    expect(has(two, ann.id)).toBe(false);
  });

  it("does not let a socket's later messages take over another process's client ids", () => {
    const { one, two } = twoProcesses();
    const ann = person('ann');
    const mallory = person('mallory');
    one.apply(ann.own(), {}, OPEN);
    const socket = {};
    two.apply(mallory.own(), socket, OPEN);
    ann.move(7);
    two.apply(encodeAwarenessUpdate(ann.awareness, [ann.id]), socket, OPEN);
    // Not applied: Ann's state on two is still the one process one shared.
    expect(two.awareness.getStates().get(ann.id)).toEqual({ user: { name: 'ann' } });
    two.removeOwner(socket);
    expect(has(two, ann.id)).toBe(true);
  });
});
