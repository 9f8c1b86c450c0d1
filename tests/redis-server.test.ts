// The server with its rooms in Redis (--redis): a stock y-websocket client against a real redis-server.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { addElement, createBoardDoc, encodeAwareness, listElements, pointsFrom } from '@inkroom/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { HEARTBEAT_MS, NODE_TTL_MS } from '../packages/sync-server/src/storage/redis/RedisCluster.js';
import { startBalancer } from './helpers/balancer.js';
import { runCli } from './helpers/cli.js';
import { type Client, connectClient, rawClient, waitFor } from './helpers/clients.js';
import { startRedis, type TestRedis } from './helpers/redis.js';
import { noteSecret } from './helpers/secret-scan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** The ids of the elements in what Redis holds of a room now (snapshot and log, read at once). */
async function storedIds(redis: TestRedis, room: string): Promise<Set<string>> {
  const results = await redis.client
    .multi()
    .getBuffer(`inkroom:room:{${room}}:snap`)
    .xrangeBuffer(`inkroom:room:{${room}}:log`, '-', '+')
    .exec();
  const doc = createBoardDoc();
  const snapshot = results![0]![1] as Buffer | null;
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const [, fields] of results![1]![1] as [Buffer, Buffer[]][])
    Y.applyUpdate(doc, fields[fields.findIndex((field) => field.toString() === 'u') + 1]!);
  const ids = new Set(listElements(doc).map((element) => element.id));
  doc.destroy();
  return ids;
}

/** The built server in a process of its own (so a test can `kill -9` it), on `redis`. */
function nodeProcess(redis: TestRedis, name: string, extra: string[] = []) {
  return runCli([
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--redis',
    redis.url,
    '--data',
    join(redis.dir, name),
    ...extra,
  ]);
}

/** Every id of `seen` that `stored` lacks. */
function missing(seen: Iterable<string>, stored: Set<string>): string[] {
  return [...seen].filter((id) => !stored.has(id));
}

describe('rooms kept in Redis', () => {
  const redises: TestRedis[] = [];
  const servers: TestServer[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const t of servers.splice(0)) await t.cleanup();
    for (const r of redises.splice(0)) await r.cleanup();
  });
  /** A Redis of its own and `count` servers on it, all stopped after the test. */
  async function onRedis(count: number, options: Parameters<typeof startTestServer>[0] = {}) {
    const redis = await startRedis();
    redises.push(redis);
    const nodes = await Promise.all(
      Array.from({ length: count }, () => startTestServer({ redis: redis.url, ...options })),
    );
    servers.push(...nodes);
    return { redis, nodes };
  }
  const client = (t: TestServer, room: string) => {
    const c = connectClient(t.wsUrl, room);
    clients.push(c);
    return c;
  };

  it('a board lives in Redis, not the data folder, and what another client saw survives kill -9 of Redis', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const first = await startTestServer({ redis: redis.url });
    servers.push(first);
    const a = client(first, 'shared');
    const b = client(first, 'shared');
    await Promise.all([a.synced, b.synced]);
    addElement(a.doc, { kind: 'sticky', text: 'seen by b' });
    await waitFor(() => listElements(b.doc).length === 1, 'b sees the sticky');
    expect(await redis.client.exists('inkroom:room:{shared}:log')).toBe(1);
    await redis.kill();
    await redis.restart();
    // Another server, with a data folder of its own, on the same Redis.
    const second = await startTestServer({ redis: redis.url });
    servers.push(second);
    const c = client(second, 'shared');
    await c.synced;
    expect(listElements(c.doc).map((e) => e.kind === 'sticky' && e.text)).toEqual(['seen by b']);
    expect(first.logs.find((line) => line.msg === 'redis.connected')).toMatchObject({
      redis: redis.url,
    });
  });

  it('three servers on one Redis: people on each write at once and converge, compactions included; a late joiner on any gets everything', async () => {
    // Compacting every few updates: nodes compact the room while others append to it.
    const { redis, nodes } = await onRedis(3, { compactAfterUpdates: 4 });
    const people = nodes.flatMap((node) => [client(node, 'together'), client(node, 'together')]);
    await Promise.all(people.map((person) => person.synced));
    for (let round = 0; round < 10; round++) {
      for (const [i, person] of people.entries())
        addElement(person.doc, { kind: 'text', text: `${i}:${round}`, y: round });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const texts = (c: Client) =>
      listElements(c.doc)
        .map((e) => (e.kind === 'text' ? e.text : ''))
        .sort();
    await waitFor(
      () => people.every((person) => listElements(person.doc).length === 60),
      'everyone has all 60',
      15_000,
    );
    const expected = texts(people[0]!);
    for (const person of people) expect(texts(person)).toEqual(expected);
    for (const node of nodes) {
      const late = client(node, 'together');
      await late.synced;
      expect(texts(late)).toEqual(expected);
    }
    // What Redis holds, read by a fourth server: the snapshot and the stream's tail are all of it.
    const fourth = await startTestServer({ redis: redis.url });
    servers.push(fourth);
    const reader = client(fourth, 'together');
    await reader.synced;
    expect(texts(reader)).toEqual(expected);
    expect(await redis.client.exists('inkroom:room:{together}:snap')).toBe(1);
    expect(await redis.client.xlen('inkroom:room:{together}:log')).toBeLessThan(60);
  });

  it('a node killed (kill -9): its people move to another through the balancer and lose nothing; the presence of those who do not come back leaves the other nodes within the heartbeat timeout', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const killed = nodeProcess(redis, 'a');
    const killedUrl = new URL(await killed.url);
    try {
      const [b, c] = await Promise.all([1, 2].map(() => startTestServer({ redis: redis.url })));
      servers.push(b!, c!);
      const balancer = await startBalancer(Number(killedUrl.port));
      try {
        const mover = connectClient(balancer.wsUrl, 'moving');
        clients.push(mover);
        const onB = client(b!, 'moving');
        const onC = client(c!, 'moving');
        await Promise.all([mover.synced, onB.synced, onC.synced]);
        // Someone on the first node who will not come back: a bare socket with a cursor.
        const leaver = rawClient(`ws://127.0.0.1:${killedUrl.port}`, 'moving');
        await leaver.opened;
        const leaverDoc = new Y.Doc();
        const leaverPresence = new Awareness(leaverDoc);
        leaverPresence.setLocalState({ user: { name: 'leaver' }, cursor: { x: 1, y: 2 } });
        leaver.ws.send(encodeAwareness(encodeAwarenessUpdate(leaverPresence, [leaverDoc.clientID])));
        leaverPresence.destroy();
        mover.awareness.setLocalStateField('user', { name: 'mover' });
        onB.awareness.setLocalStateField('user', { name: 'b' });
        const seen = (by: Client, id: number) => by.awareness.getStates().has(id);
        await waitFor(
          () =>
            [onB, onC].every((by) => seen(by, mover.doc.clientID) && seen(by, leaverDoc.clientID)) &&
            seen(mover, onB.doc.clientID),
          'presence across the three nodes',
        );
        addElement(mover.doc, { kind: 'sticky', text: 'seen on every node' });
        await waitFor(
          () => [onB, onC].every((by) => listElements(by.doc).length === 1),
          'the sticky on every node',
        );

        balancer.target(Number(new URL(b!.httpUrl).port));
        killed.child.kill('SIGKILL');
        await killed.exited;
        const killedAt = Date.now();
        // Drawn while the mover's socket is down or moving: it comes with the mover.
        addElement(mover.doc, { kind: 'sticky', text: 'drawn while moving' });
        await waitFor(
          () => [mover, onB, onC].every((by) => listElements(by.doc).length === 2),
          "the mover's sticky, from its new node",
          15_000,
        );
        await waitFor(
          () => [onB, onC].every((by) => !seen(by, leaverDoc.clientID)),
          "the leaver's cursor to leave the other nodes",
          NODE_TTL_MS + 5 * HEARTBEAT_MS,
        );
        const goneAfter = Date.now() - killedAt;
        // The heartbeat, not the awareness timeout of 30 s, took it away.
        expect(goneAfter).toBeLessThan(NODE_TTL_MS + 3 * HEARTBEAT_MS);
        // The mover's cursor stayed: it moved with its person.
        for (const by of [onB, onC]) expect(seen(by, mover.doc.clientID)).toBe(true);
        // And it sees the others' cursors as they move (the stock client ignores states it had
        // before its socket closed until they change).
        onB.awareness.setLocalStateField('cursor', { x: 5, y: 5 });
        await waitFor(() => seen(mover, onB.doc.clientID), "b's cursor, seen by the mover");
        const late = client(c!, 'moving');
        await late.synced;
        expect(
          listElements(late.doc)
            .map((e) => (e.kind === 'sticky' ? e.text : ''))
            .sort(),
        ).toEqual(['drawn while moving', 'seen on every node']);
      } finally {
        await balancer.close();
      }
    } finally {
      killed.child.kill('SIGKILL');
    }
  });

  it('access is shared by the nodes: a link made on one works on another, and revoking a link or a person, or deleting the room, on one closes the sockets on the other within a second', async () => {
    const admin = 'redis-suite-admin-token-0123456789';
    noteSecret(admin);
    const {
      redis,
      nodes: [one, two],
    } = await onRedis(2, { auth: 'links', adminToken: admin });
    const api = async (
      t: TestServer,
      path: string,
      init: { method?: string; body?: unknown; token?: string } = {},
    ) => {
      const res = await fetch(`${t.httpUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const text = await res.text();
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      for (const secret of [body.token, body.secret, (body.link as { secret?: unknown } | undefined)?.secret])
        if (typeof secret === 'string') noteSecret(secret);
      return { status: res.status, body };
    };
    const exchange = async (t: TestServer, room: string, key: string) => {
      const res = await api(t, `/api/rooms/${room}/session`, { method: 'POST', body: { key } });
      expect(res.status).toBe(200);
      return res.body.token as string;
    };
    const closedWith = (c: Client) =>
      new Promise<number>((resolve) =>
        c.provider.on('connection-close', (event: { code: number } | null) => event && resolve(event.code)),
      );
    const timed = async (closing: Promise<number>, act: () => Promise<unknown>) => {
      const started = Date.now();
      await act();
      const code = await closing;
      return { code, ms: Date.now() - started };
    };

    // A room made on one node; its owner works there, an edit link made there is used on the other.
    const created = await api(one!, '/api/rooms', { method: 'POST' });
    expect(created.status).toBe(201);
    const room = created.body.room as string;
    const ownerToken = await exchange(one!, room, (created.body.link as { secret: string }).secret);
    const edit = await api(one!, `/api/rooms/${room}/links`, {
      method: 'POST',
      token: ownerToken,
      body: { scope: 'write' },
    });
    expect(edit.status).toBe(201);
    const editor = connectClient(two!.wsUrl, room, {
      params: { token: await exchange(two!, room, edit.body.secret as string) },
    });
    clients.push(editor);
    await editor.synced;
    addElement(editor.doc, { kind: 'sticky', text: 'through a link made on the other node' });

    const revokedLink = await timed(closedWith(editor), () =>
      api(one!, `/api/rooms/${room}/links/${edit.body.id}`, { method: 'DELETE', token: ownerToken }),
    );
    expect(revokedLink.code).toBe(4403);
    expect(revokedLink.ms).toBeLessThan(1000);

    // A person's token minted on one node, used on the other, revoked on the first.
    const minted = await api(one!, '/api/admin/tokens', {
      method: 'POST',
      token: admin,
      body: { room, scope: 'write', ttl: '1h', sub: 'kim' },
    });
    expect(minted.status).toBe(201);
    const kim = connectClient(two!.wsUrl, room, { params: { token: minted.body.token as string } });
    clients.push(kim);
    await kim.synced;
    expect(listElements(kim.doc)).toHaveLength(1);
    const revokedPerson = await timed(closedWith(kim), () =>
      api(one!, '/api/admin/revoke', { method: 'POST', token: admin, body: { sub: 'kim' } }),
    );
    expect(revokedPerson.code).toBe(4403);
    expect(revokedPerson.ms).toBeLessThan(1000);
    // The other node refuses the revoked token from now on too.
    kim.destroy();
    const again = connectClient(two!.wsUrl, room, { params: { token: minted.body.token as string } });
    clients.push(again);
    expect(await closedWith(again)).toBe(4403);
    again.destroy();

    // The room deleted on one node: its sockets on the other close with 4410, and it is gone.
    const owner = connectClient(two!.wsUrl, room, { params: { token: ownerToken } });
    clients.push(owner);
    await owner.synced;
    const deleted = await timed(closedWith(owner), () =>
      api(one!, `/api/admin/rooms/${room}`, { method: 'DELETE', token: admin }),
    );
    expect(deleted.code).toBe(4410);
    expect(deleted.ms).toBeLessThan(1000);
    owner.destroy();
    await waitFor(() => two!.server.core.stats().rooms === 0, 'the room to leave the other node');
    // Its content is gone; what it held stays retired, so an offline copy cannot bring it back.
    expect(await redis.client.keys(`inkroom:room:{${room}}:*`)).toEqual([`inkroom:room:{${room}}:retired`]);
    expect(await redis.client.hexists('inkroom:deleted', room)).toBe(1);
  });

  it('a room deleted on one node while people on another write: everything anyone was sent is retired, appends it never read included', async () => {
    const admin = 'redis-suite-admin-token-0123456789';
    noteSecret(admin);
    const {
      redis,
      nodes: [one, two],
    } = await onRedis(2, { adminToken: admin });
    const writers = [client(two!, 'doomed'), client(two!, 'doomed')];
    const observer = client(two!, 'doomed');
    const here = client(one!, 'doomed');
    await Promise.all([...writers, observer, here].map((c) => c.synced));
    let writing = true;
    const written = (async () => {
      for (let round = 0; writing; round++) {
        for (const [i, writer] of writers.entries())
          addElement(writer.doc, { kind: 'text', text: `${i}:${round}` });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await waitFor(() => listElements(here.doc).length > 50, 'writes reaching the deleting node');
    const res = await fetch(`${one!.httpUrl}/api/admin/rooms/doomed`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBeLessThan(300);
    writing = false;
    await written;
    const retired = Y.decodeStateVector((await redis.client.getBuffer('inkroom:room:{doomed}:retired'))!);
    const sent = Y.decodeStateVector(Y.encodeStateVector(observer.doc));
    const uncovered = [...sent].filter(([id, clock]) => (retired.get(id) ?? 0) < clock);
    expect(uncovered).toEqual([]);
    expect(await redis.client.exists('inkroom:room:{doomed}:log')).toBe(0);
  });

  it('two nodes compacting one room while both write: at every point, snapshot plus log holds everything anyone was sent', async () => {
    const {
      redis,
      nodes: [one, two],
    } = await onRedis(2, { compactAfterUpdates: 2 });
    const writers = [client(one!, 'race'), client(two!, 'race')];
    const observer = client(one!, 'race');
    await Promise.all([...writers, observer].map((c) => c.synced));
    let writing = true;
    const written = (async () => {
      for (let round = 0; writing; round++) {
        for (const [i, writer] of writers.entries())
          addElement(writer.doc, { kind: 'text', text: `${i}:${round}` });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    let samples = 0;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      // What the observer was sent before the read: all of it must be in what the read finds.
      const seen = listElements(observer.doc).map((element) => element.id);
      expect(missing(seen, await storedIds(redis, 'race'))).toEqual([]);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    writing = false;
    await written;
    const count = () => listElements(observer.doc).length;
    await waitFor(() => writers.every((w) => listElements(w.doc).length === count()), 'the writers converge');
    const version = Number(await redis.client.hget('inkroom:room:{race}:meta', 'version'));
    expect(samples).toBeGreaterThan(20);
    // Compacted many times over (by whichever node held the lease) while both appended.
    expect(version).toBeGreaterThan(10);
    const compactions = [one!, two!].map(
      (node) => node.logs.lines.filter((line) => line.msg === 'room.compact' && line.room === 'race').length,
    );
    // Each logged, as a compaction by one process is.
    expect(compactions[0]! + compactions[1]!).toBeGreaterThan(10);
    expect(
      missing(
        listElements(observer.doc).map((e) => e.id),
        await storedIds(redis, 'race'),
      ),
    ).toEqual([]);
  });

  it('a node killed (kill -9) while it compacts a large board: what Redis holds is still everything anyone was sent', async () => {
    const {
      redis,
      nodes: [other],
    } = await onRedis(1, { compactAfterUpdates: 2 });
    let killedCompacting = 0;
    for (const [round, delay] of [150, 400, 800].entries()) {
      const room = `killed-${round}`;
      const node = nodeProcess(redis, room, ['--compact-after-updates', '1']);
      try {
        const url = (await node.url).replace('http:', 'ws:');
        const writer = connectClient(url, room);
        clients.push(writer);
        const observer = client(other!, room);
        await Promise.all([writer.synced, observer.synced]);
        // A board of 4,000 strokes: each compaction of it takes a while in the node's worker.
        writer.doc.transact(() => {
          for (let i = 0; i < 4000; i++)
            addElement(writer.doc, {
              kind: 'stroke',
              x: i,
              y: 0,
              points: pointsFrom(Array.from({ length: 24 }, (_, j) => [j, j, 0.5])),
            });
        });
        await waitFor(
          () => listElements(observer.doc).length === 4000,
          'the board, on the other node',
          15_000,
        );
        const started = Date.now();
        for (let i = 0; Date.now() - started < delay; i++) {
          addElement(writer.doc, { kind: 'text', text: `${i}` });
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        node.child.kill('SIGKILL');
        await node.exited;
        // Let what was in flight to the observer arrive.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const seen = listElements(observer.doc).map((element) => element.id);
        expect(missing(seen, await storedIds(redis, room))).toEqual([]);
        // Anyone reading the room later gets all of it.
        const late = client(other!, room);
        await late.synced;
        expect(missing(seen, new Set(listElements(late.doc).map((e) => e.id)))).toEqual([]);
        // A lease the killed node held expires by itself (-2: it held none at that moment).
        const lease = await redis.client.pttl(`inkroom:room:{${room}}:lease`);
        expect(lease).toBeLessThanOrEqual(30_000);
        if (lease > 0) killedCompacting++;
      } finally {
        node.child.kill('SIGKILL');
      }
    }
    // Compacting after every update of a board this size, the node is nearly always compacting.
    expect(killedCompacting).toBeGreaterThan(0);
  });

  it('an image uploaded through one node is served by another, and counted once for its room', async () => {
    const {
      redis,
      nodes: [one, two],
    } = await onRedis(2);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const hash = createHash('sha256').update(png).digest('hex');
    const put = (t: TestServer) =>
      fetch(`${t.httpUrl}/api/rooms/pics/assets/${hash}`, {
        method: 'PUT',
        body: png,
        headers: { 'content-type': 'image/png' },
      });
    expect((await put(one!)).status).toBe(201);
    const served = await fetch(`${two!.httpUrl}/api/rooms/pics/assets/${hash}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    // The same image again, through the other node: stored once, counted once.
    expect((await put(two!)).status).toBeLessThan(300);
    expect(await redis.client.hgetall('inkroom:room-assets:{pics}')).toEqual({ [hash]: String(png.length) });
  });

  it("write-ahead across nodes: while Redis holds its answers to writes, nobody gets the update, the sender's neighbours included", async () => {
    const {
      redis,
      nodes: [one, two],
    } = await onRedis(2);
    const sender = client(one!, 'held');
    const neighbour = client(one!, 'held');
    const elsewhere = client(two!, 'held');
    await Promise.all([sender.synced, neighbour.synced, elsewhere.synced]);
    // Both servers follow the room once it has loaded on each: a first update shows it.
    addElement(sender.doc, { kind: 'sticky', text: 'first' });
    await waitFor(() => listElements(elsewhere.doc).length === 1, 'the first sticky everywhere');
    await redis.client.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    const pausedAt = Date.now();
    addElement(sender.doc, { kind: 'sticky', text: 'held' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(listElements(neighbour.doc)).toHaveLength(1);
    expect(listElements(elsewhere.doc)).toHaveLength(1);
    await waitFor(
      () => listElements(neighbour.doc).length === 2 && listElements(elsewhere.doc).length === 2,
      'the held sticky, once written',
      10_000,
    );
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(1400);
  });

  it('idle rooms leave every server, and what Redis holds of a room stays a few keys and a short stream', async () => {
    const { redis, nodes } = await onRedis(3);
    for (const room of ['idle-a', 'idle-b']) {
      const people = nodes.map((node) => client(node, room));
      await Promise.all(people.map((person) => person.synced));
      for (let round = 0; round < 40; round++)
        for (const person of people) addElement(person.doc, { kind: 'text', text: `${round}` });
      await waitFor(
        () => people.every((person) => listElements(person.doc).length === 120),
        `${room} converged`,
        15_000,
      );
      for (const person of people) {
        person.destroy();
        clients.splice(clients.indexOf(person), 1);
      }
    }
    await waitFor(
      () => nodes.every((node) => node.server.core.stats().rooms === 0),
      'rooms to leave every server',
      10_000,
    );
    const keys = (await redis.client.keys('inkroom:*')).sort();
    expect(keys.filter((key) => key.startsWith('inkroom:room:'))).toEqual([
      'inkroom:room:{idle-a}:log',
      'inkroom:room:{idle-a}:meta',
      'inkroom:room:{idle-a}:snap',
      'inkroom:room:{idle-b}:log',
      'inkroom:room:{idle-b}:meta',
      'inkroom:room:{idle-b}:snap',
    ]);
    // 120 updates a room, compacted as each server let the room go.
    for (const room of ['idle-a', 'idle-b'])
      expect(await redis.client.xlen(`inkroom:room:{${room}}:log`)).toBeLessThan(10);
    const reader = client(nodes[1]!, 'idle-b');
    await reader.synced;
    expect(listElements(reader.doc)).toHaveLength(120);
  });

  it('Redis stopped (SIGSTOP): nothing is relayed, every room closes with 4500, /readyz answers 503; once it goes on, everyone converges', async () => {
    const {
      redis,
      nodes: [one, two],
    } = await onRedis(2, { redisTimeoutMs: 1000 });
    const writer = client(one!, 'frozen');
    const other = client(two!, 'frozen');
    // A room nobody writes to while Redis is stopped.
    const quiet = client(two!, 'quiet');
    await Promise.all([writer.synced, other.synced, quiet.synced]);
    const quietCodes: number[] = [];
    quiet.provider.on(
      'connection-close',
      (event: { code: number } | null) => event && quietCodes.push(event.code),
    );
    addElement(writer.doc, { kind: 'sticky', text: 'before' });
    await waitFor(() => listElements(other.doc).length === 1, 'the first sticky everywhere');
    const codes: number[] = [];
    writer.provider.on(
      'connection-close',
      (event: { code: number } | null) => event && codes.push(event.code),
    );
    redis.freeze();
    addElement(writer.doc, { kind: 'sticky', text: 'while Redis is stopped' });
    await waitFor(() => codes.includes(4500), "the writer's room closed with 4500", 10_000);
    // Every room goes once the heartbeat is not answered (within --redis-timeout).
    await waitFor(() => quietCodes.includes(4500), 'the quiet room closed with 4500', 10_000);
    expect((await fetch(`${one!.httpUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${two!.httpUrl}/readyz`)).status).toBe(503);
    expect(listElements(other.doc)).toHaveLength(1);
    redis.thaw();
    await waitFor(() => listElements(other.doc).length === 2, 'the sticky, once Redis goes on', 20_000);
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${one!.httpUrl}/readyz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('/readyz never answered 200 again');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('a Redis that could lose acknowledged writes is refused, naming each setting, unless relaxed', async () => {
    const redis = await startRedis({ durable: false });
    redises.push(redis);
    const password = 'redis-password-never-logged';
    noteSecret(password);
    const url = redis.url.replace('redis://', `redis://default:${password}@`);
    const refused = runCli(['--port', '0', '--redis', url, '--data', redis.dir]);
    expect((await refused.exited).code).toBe(1);
    expect(refused.stderr()).toContain(`Redis at ${redis.url} could lose acknowledged writes`);
    expect(refused.stderr()).toContain('appendfsync is "everysec", needs "always"');
    expect(refused.stderr()).toContain('--redis-durability relaxed');
    const relaxed = runCli([
      '--port',
      '0',
      '--redis',
      url,
      '--redis-durability',
      'relaxed',
      '--data',
      redis.dir,
    ]);
    await relaxed.url;
    relaxed.child.kill('SIGTERM');
    expect((await relaxed.exited).code).toBe(0);
    expect(relaxed.stderr() + relaxed.stdout()).toContain('redis.not_durable');
    expect(relaxed.stderr()).toContain(`(rooms in ${redis.url}, data in ${redis.dir})`);
  });
});
