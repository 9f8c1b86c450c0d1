import { parseArgs } from 'node:util';
import { writeThroughServer } from './scenarios.js';
import type { RunningServer } from './servers.js';
import { gridScript, mergedScript, walkScript } from './updates.js';

const USAGE = `Usage: pnpm --filter @inkroom/bench fill --server ws://localhost:1234 --room <room> --strokes <n> [--scene walk|grid]
Fills a room with <n> synthetic pen strokes, written through the server: the board benchmark's
scene (walk: 50-point strokes over 5000×5000 board px, the default) or short strokes on a grid.
`;

try {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: 'ws://localhost:1234' },
      room: { type: 'string' },
      strokes: { type: 'string', default: '1000' },
      scene: { type: 'string', default: 'walk' },
    },
  });
  const strokes = Number(values.strokes);
  if (!values.room || !Number.isInteger(strokes) || strokes < 1)
    throw new Error('--room and a positive --strokes are required');
  if (values.scene !== 'walk' && values.scene !== 'grid')
    throw new Error(`--scene is walk or grid, not ${values.scene}`);
  const server = {
    url: values.server.replace(/\/$/, ''),
    spec: { name: 'inkroom', dialect: 'y-websocket' },
  } as RunningServer;
  const started = performance.now();
  const clientId = Math.floor(Math.random() * 2 ** 30);
  const script = values.scene === 'walk' ? walkScript(clientId, strokes) : gridScript(clientId, strokes);
  // Fifty strokes an update: a large board is written in seconds, within the server's rate limits.
  await writeThroughServer(server, values.room, mergedScript(script, 50));
  process.stdout.write(
    `${strokes} strokes written to ${values.room} in ${Math.round(performance.now() - started)} ms\n`,
  );
} catch (error) {
  process.stderr.write(`fill: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
