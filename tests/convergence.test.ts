// Seeded random convergence through the real server: stock y-websocket clients make random
// concurrent edits (adds, moves, restyles, typing, groups, locks, reorders, deletes) while they
// drop off and come back at random. Once all are back, every client, a newcomer and the stored
// room hold the same board. Reproduce a failure with INKROOM_SEED=<seed>.
import { comparableElements, randomEdit } from '@inkroom/shared/testing';
import * as prng from 'lib0/prng';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, connectClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const CLIENTS = 3;
const STEPS = 200;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('convergence through the server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  async function run(seed: number): Promise<void> {
    const gen = prng.create(seed);
    const room = `converge-${seed}`;
    const clients: Client[] = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(connectClient(t.wsUrl, room));
    await Promise.all(clients.map((client) => client.synced));
    const online = clients.map(() => true);
    try {
      for (let step = 0; step < STEPS; step++) {
        const i = prng.uint32(gen, 0, CLIENTS - 1);
        const client = clients[i]!;
        const roll = prng.uint32(gen, 0, 19);
        if (roll === 0 && online[i]) {
          // Drops off: its edits wait in its doc until it is back.
          client.provider.disconnect();
          online[i] = false;
        } else if (roll === 1 && !online[i]) {
          client.provider.connect();
          online[i] = true;
        } else {
          randomEdit(gen, client.doc);
        }
        // Let some messages through, sometimes.
        if (prng.bool(gen)) await new Promise((resolve) => setTimeout(resolve, prng.uint32(gen, 0, 4)));
      }
      clients.forEach((client, i) => {
        if (!online[i]) client.provider.connect();
      });
      const expected = () => comparableElements(clients[0]!.doc);
      await waitFor(
        () => clients.every((client) => same(comparableElements(client.doc), expected())),
        'every client to hold the same board',
        10_000,
      );
      expect(expected().length).toBeGreaterThan(0);
      // A newcomer, served from the room the server keeps, sees the same.
      const newcomer = connectClient(t.wsUrl, room);
      try {
        await newcomer.synced;
        await waitFor(() => same(comparableElements(newcomer.doc), expected()), 'the newcomer', 10_000);
      } finally {
        newcomer.destroy();
      }
    } finally {
      for (const client of clients) client.destroy();
    }
  }

  const fixed = process.env.INKROOM_SEED;
  const seeds = fixed
    ? [Number(fixed)]
    : Array.from({ length: 3 }, () => Math.floor(Math.random() * 2 ** 31));
  it(`converges for ${seeds.length} random seeds, with clients dropping off and coming back`, async () => {
    for (const seed of seeds) {
      try {
        await run(seed);
      } catch (error) {
        console.error(`server convergence failed; reproduce with INKROOM_SEED=${seed}`);
        throw error;
      }
    }
  }, 60_000);
});
