import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  type InkroomServer,
  type InkroomServerOptions,
  startInkroomServer,
} from '@inkroom/sync-server';
import { noteOutput, noteSecret } from './secret-scan.js';

/** Log lines the server wrote, parsed. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  write(line: string): void {
    noteOutput(line);
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  find(predicate: (line: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
    return this.lines.find(predicate);
  }
}

export interface TestServer {
  server: InkroomServer;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  httpUrl: string;
  dataDir: string;
  logs: LogCapture;
  /** Stops the server (data is kept until `cleanup`). */
  stop(): Promise<void>;
  /** Starts a new server on the same data folder. */
  restart(options?: InkroomServerOptions): Promise<TestServer>;
  /** Stops the server and deletes its data folder. */
  cleanup(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'inkroom-test-'));
}

/** A real server on 127.0.0.1, a free port and a temporary LevelDB folder. */
export async function startTestServer(
  options: InkroomServerOptions = {},
  dataDir?: string,
): Promise<TestServer> {
  const dir = dataDir ?? (await makeDataDir());
  const logs = new LogCapture();
  noteSecret(options.authSecret);
  noteSecret(options.adminToken);
  const server = await startInkroomServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    staticDir: null,
    logger: createLogger('debug', logs),
    ...options,
  });
  const stop = () => server.close();
  return {
    server,
    wsUrl: server.url.replace('http://', 'ws://'),
    httpUrl: server.url,
    dataDir: dir,
    logs,
    stop,
    restart: async (more = {}) => {
      await stop();
      return startTestServer({ ...options, ...more }, dir);
    },
    cleanup: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
