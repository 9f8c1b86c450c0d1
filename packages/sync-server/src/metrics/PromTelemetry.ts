import { CloseCode } from '@inkroom/shared';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Telemetry } from '../core/Telemetry.js';

/** Close codes Inkroom sends, and the ordinary ones of a socket that leaves or drops. */
const KNOWN_CLOSES: ReadonlySet<number> = new Set([...Object.values(CloseCode), 1005, 1006]);

/** Buckets for latencies on the write-ahead path and room loads: 0.5 ms to 10 s. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * Inkroom's Prometheus metrics (`/metrics`), through prom-client, on a registry of the server's
 * own (two servers in one process keep apart). Counts the core reports on hot paths (frames
 * sent, updates received) go to plain numbers and reach their counters when scraped. No metric
 * has a room label: rooms are unbounded, and belong in logs.
 */
export class PromTelemetry implements Telemetry {
  readonly registry = new Registry();
  private sentFrames = 0;
  private sentBytes = 0;
  private receivedUpdates = 0;
  private receivedBytes = 0;

  private readonly connections = new Gauge({
    name: 'inkroom_connections',
    help: 'Open WebSocket connections',
    registers: [this.registry],
  });
  private readonly connectionsTotal = new Counter({
    name: 'inkroom_connections_total',
    help: 'WebSocket connections accepted',
    registers: [this.registry],
  });
  private readonly closes = new Counter({
    name: 'inkroom_connection_closes_total',
    help: 'WebSocket connections ended, by close code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly rooms = new Gauge({
    name: 'inkroom_rooms_loaded',
    help: 'Rooms in memory',
    registers: [this.registry],
  });
  private readonly roomLoad = new Histogram({
    name: 'inkroom_room_load_seconds',
    help: 'Time to load a room from storage',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly durableLatency = new Histogram({
    name: 'inkroom_update_durable_seconds',
    help: 'Per write batch: from receiving its first update to its being in storage (write-ahead)',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly relayLatency = new Histogram({
    name: 'inkroom_update_relayed_seconds',
    help: 'Per write batch: from receiving its first update to relaying the batch to the room',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly persistFailures = new Counter({
    name: 'inkroom_persist_failures_total',
    help: 'Writes to storage that failed (the room closes with 4500)',
    registers: [this.registry],
  });
  private readonly compactions = new Histogram({
    name: 'inkroom_compaction_seconds',
    help: 'Room log compactions, and their time',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly dropped = new Counter({
    name: 'inkroom_readonly_updates_dropped_total',
    help: 'Updates sent by read-scope sockets and dropped',
    registers: [this.registry],
  });
  private readonly denied = new Counter({
    name: 'inkroom_auth_failures_total',
    help: 'Sockets and reads refused access, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly throttles = new Counter({
    name: 'inkroom_throttled_messages_total',
    help: 'Messages held back by per-socket rate limits, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly revocations = new Counter({
    name: 'inkroom_revocations_total',
    help: 'Revocations and link scope changes',
    registers: [this.registry],
  });
  private readonly previews = new Histogram({
    name: 'inkroom_preview_render_seconds',
    help: 'Time to draw a room preview',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'inkroom_http_requests_total',
    help: 'HTTP requests, by route and status',
    labelNames: ['route', 'status'],
    registers: [this.registry],
  });

  constructor(pendingBytes: () => number) {
    this.collected('inkroom_messages_sent_total', 'Frames sent to sockets', () => this.take('sentFrames'));
    this.collected('inkroom_bytes_sent_total', 'Bytes of frames sent to sockets', () =>
      this.take('sentBytes'),
    );
    this.collected('inkroom_updates_received_total', 'Document updates received from sockets', () =>
      this.take('receivedUpdates'),
    );
    this.collected(
      'inkroom_update_bytes_received_total',
      'Bytes of document updates received from sockets',
      () => this.take('receivedBytes'),
    );
    new Gauge({
      name: 'inkroom_pending_update_bytes',
      help: 'Bytes of updates waiting for missing dependencies, over all rooms',
      registers: [this.registry],
      collect() {
        this.set(pendingBytes());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** A counter fed at scrape time with what `read` says came since the last scrape. */
  private collected(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.inc(read());
      },
    });
  }

  /** A hot-path count since the last scrape, reset. */
  private take(field: 'sentFrames' | 'sentBytes' | 'receivedUpdates' | 'receivedBytes'): number {
    const value = this[field];
    this[field] = 0;
    return value;
  }

  connectionOpened(): void {
    this.connections.inc();
    this.connectionsTotal.inc();
  }
  connectionClosed(code: number): void {
    this.connections.dec();
    // A peer may close with any code from 3000 to 4999: only known ones get a series of their own.
    this.closes.inc({ code: KNOWN_CLOSES.has(code) ? String(code) : 'other' });
  }
  roomLoaded(seconds: number): void {
    this.rooms.inc();
    this.roomLoad.observe(seconds);
  }
  roomUnloaded(): void {
    this.rooms.dec();
  }
  updateReceived(bytes: number): void {
    this.receivedUpdates++;
    this.receivedBytes += bytes;
  }
  sent(bytes: number): void {
    this.sentFrames++;
    this.sentBytes += bytes;
  }
  durable(seconds: number): void {
    this.durableLatency.observe(seconds);
  }
  relayed(seconds: number): void {
    this.relayLatency.observe(seconds);
  }
  persistFailed(): void {
    this.persistFailures.inc();
  }
  compacted(seconds: number): void {
    this.compactions.observe(seconds);
  }
  readOnlyUpdateDropped(): void {
    this.dropped.inc();
  }
  authDenied(reason: string): void {
    this.denied.inc({ reason });
  }
  throttled(kind: 'update' | 'awareness'): void {
    this.throttles.inc({ kind });
  }
  revoked(): void {
    this.revocations.inc();
  }
  previewDrawn(seconds: number): void {
    this.previews.observe(seconds);
  }
  request(route: string, status: number): void {
    this.requests.inc({ route, status: String(status) });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
