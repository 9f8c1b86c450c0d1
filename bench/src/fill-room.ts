import { parseArgs } from 'node:util';
import { writeThroughServer } from './scenarios.js';
import type { RunningServer } from './servers.js';
import { gridScript } from './updates.js';

const USAGE = `Usage: pnpm --filter @inkroom/bench fill --server ws://localhost:1234 --room <room> --strokes <n>
Fills a room with <n> synthetic pen strokes laid out in a grid, written through the server.
`;

try {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: 'ws://localhost:1234' },
      room: { type: 'string' },
      strokes: { type: 'string', default: '1000' },
    },
  });
  const strokes = Number(values.strokes);
  if (!values.room || !Number.isInteger(strokes) || strokes < 1)
    throw new Error('--room and a positive --strokes are required');
  const server = {
    url: values.server.replace(/\/$/, ''),
    spec: { name: 'inkroom', dialect: 'y-websocket' },
  } as RunningServer;
  const started = performance.now();
  await writeThroughServer(server, values.room, gridScript(Math.floor(Math.random() * 2 ** 30), strokes));
  process.stdout.write(
    `${strokes} strokes written to ${values.room} in ${Math.round(performance.now() - started)} ms\n`,
  );
} catch (error) {
  process.stderr.write(`fill: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
