import { LevelRoomStore, type RoomStore } from '@inkroom/sync-server';
// @ts-expect-error: the parser ships no types; it returns plain objects (see MetricFamily below).
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, waitFor } from './helpers/clients.js';
import { makeDataDir, startTestServer, type TestServer } from './helpers/server.js';

interface MetricFamily {
  name: string;
  type: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    count?: string;
    buckets?: Record<string, string>;
  }[];
}

async function scrape(t: TestServer): Promise<Map<string, MetricFamily>> {
  const res = await fetch(`${t.httpUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await res.text()) as MetricFamily[];
  return new Map(families.map((family) => [family.name, family]));
}

/** A counter's or gauge's value (summed over labels), or a histogram's count. */
function value(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const family = families.get(name);
  if (!family) throw new Error(`no metric ${name}`);
  return family.metrics
    .filter((metric) => Object.entries(labels).every(([key, v]) => metric.labels?.[key] === v))
    .reduce((sum, metric) => sum + Number(metric.value ?? metric.count ?? 0), 0);
}

const EXPECTED = [
  'inkroom_connections',
  'inkroom_connections_total',
  'inkroom_connection_closes_total',
  'inkroom_rooms_loaded',
  'inkroom_room_load_seconds',
  'inkroom_updates_received_total',
  'inkroom_update_bytes_received_total',
  'inkroom_messages_sent_total',
  'inkroom_bytes_sent_total',
  'inkroom_update_durable_seconds',
  'inkroom_update_relayed_seconds',
  'inkroom_persist_failures_total',
  'inkroom_pending_update_bytes',
  'inkroom_compaction_seconds',
  'inkroom_readonly_updates_dropped_total',
  'inkroom_auth_failures_total',
  'inkroom_revocations_total',
  'inkroom_preview_render_seconds',
  'inkroom_http_requests_total',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_seconds',
];

describe('/metrics and health', () => {
  const servers: TestServer[] = [];
  const stores: RoomStore[] = [];
  afterEach(async () => {
    for (const t of servers.splice(0)) await t.cleanup();
    for (const store of stores.splice(0)) await store.close();
  });

  it('exposes every metric in the Prometheus text format, and its counters move with traffic', async () => {
    const t = await startTestServer({ compactAfterUpdates: 5 });
    servers.push(t);
    const before = await scrape(t);
    for (const name of EXPECTED) expect(before.has(name), name).toBe(true);
    const a = connectClient(t.wsUrl, 'measured');
    const b = connectClient(t.wsUrl, 'measured');
    await Promise.all([a.synced, b.synced]);
    // One update at a time, so each is its own write (and five of them trigger a compaction).
    for (let i = 0; i < 10; i++) {
      a.doc.getMap('m').set(`k${i}`, i);
      await waitFor(() => b.doc.getMap('m').size === i + 1, `update ${i} relayed`);
    }
    await waitFor(() => b.doc.getMap('m').size === 10, 'the updates relayed');
    await fetch(`${t.httpUrl}/api/rooms/measured.svg`);
    const during = await scrape(t);
    expect(value(during, 'inkroom_connections')).toBe(2);
    expect(value(during, 'inkroom_rooms_loaded')).toBe(1);
    expect(value(during, 'inkroom_connections_total') - value(before, 'inkroom_connections_total')).toBe(2);
    expect(value(during, 'inkroom_updates_received_total')).toBeGreaterThanOrEqual(10);
    expect(value(during, 'inkroom_update_bytes_received_total')).toBeGreaterThan(0);
    // Updates applied in one turn are relayed as one message: fewer messages than updates.
    expect(value(during, 'inkroom_messages_sent_total')).toBeGreaterThan(
      value(before, 'inkroom_messages_sent_total'),
    );
    expect(value(during, 'inkroom_bytes_sent_total')).toBeGreaterThan(
      value(before, 'inkroom_bytes_sent_total'),
    );
    expect(value(during, 'inkroom_update_durable_seconds')).toBeGreaterThanOrEqual(1);
    expect(value(during, 'inkroom_update_relayed_seconds')).toBeGreaterThanOrEqual(1);
    expect(value(during, 'inkroom_room_load_seconds')).toBe(1);
    expect(value(during, 'inkroom_compaction_seconds')).toBeGreaterThanOrEqual(1);
    expect(value(during, 'inkroom_preview_render_seconds')).toBe(1);
    expect(value(during, 'inkroom_http_requests_total', { route: 'preview', status: '200' })).toBe(1);
    expect(value(during, 'inkroom_http_requests_total', { route: 'metrics', status: '200' })).toBe(1);
    a.destroy();
    b.destroy();
    await waitFor(() => t.server.core.stats().connections === 0, 'the sockets closed');
    const after = await scrape(t);
    expect(value(after, 'inkroom_connections')).toBe(0);
    expect(value(after, 'inkroom_connection_closes_total')).toBe(2);
    // No metric is labelled by room: rooms are unbounded, and belong in logs.
    for (const family of after.values()) {
      for (const metric of family.metrics) expect(Object.keys(metric.labels ?? {})).not.toContain('room');
    }
  });

  it('counts refusals by reason', async () => {
    const t = await startTestServer({ auth: 'tokens', authSecret: 'metrics-suite-secret-0123456789abcdef' });
    servers.push(t);
    const client = connectClient(t.wsUrl, 'locked');
    await new Promise((resolve) => client.provider.once('closed', resolve));
    client.destroy();
    expect(value(await scrape(t), 'inkroom_auth_failures_total', { reason: 'missing' })).toBe(1);
  });

  it('/readyz answers 503 while the server drains on shutdown, before sockets close', async () => {
    const t = await startTestServer({ drainMs: 500 });
    servers.push(t);
    const client = connectClient(t.wsUrl, 'draining');
    await client.synced;
    const closing = t.server.close();
    const during = await fetch(`${t.httpUrl}/readyz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ reason: 'shutting down' });
    // Still serving meanwhile: the socket is open until the drain ends.
    expect(client.provider.wsconnected).toBe(true);
    await closing;
    client.destroy();
  });

  it('/healthz is alive; /readyz is ready only while storage takes writes', async () => {
    let writable = true;
    const dir = await makeDataDir();
    const inner = await LevelRoomStore.open(dir);
    stores.push(inner);
    const store = Object.assign(Object.create(inner) as RoomStore, {
      checkWritable: () => (writable ? inner.checkWritable() : Promise.reject(new Error('disk full'))),
    });
    const t = await startTestServer({ store, authStore: undefined }, dir);
    servers.push(t);
    expect((await fetch(`${t.httpUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    writable = false;
    const unready = await fetch(`${t.httpUrl}/readyz`);
    expect(unready.status).toBe(503);
    expect(await unready.json()).toMatchObject({ reason: 'storage is not writable' });
  });
});
