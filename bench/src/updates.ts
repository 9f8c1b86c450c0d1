import { addElement, createBoardDoc, keysBetween, pointsFrom } from '@inkroom/shared';
import * as Y from 'yjs';
import { type SceneStroke, walkStrokes } from './board-scene.js';

/**
 * One sender's updates, made ahead of time from a real board Y.Doc with a fixed client id, so
 * the load generator only sends bytes. Update i covers clocks [startClock[i], startClock[i + 1]).
 */
export interface SenderScript {
  readonly clientId: number;
  readonly updates: Uint8Array[];
  readonly startClock: number[];
  /** The clock after the last update. */
  readonly endClock: number;
}

function strokePoints(seed: number, count: number, origin?: { x: number; y: number }) {
  const tuples: [number, number, number][] = [];
  let x = origin ? origin.x : (seed * 37) % 1000;
  let y = origin ? origin.y : (seed * 91) % 1000;
  for (let i = 0; i < count; i++) {
    x += ((seed + i * 7) % 9) - 3;
    y += ((seed + i * 5) % 7) - 2;
    tuples.push([x, y, 0.5 + ((i % 10) - 5) / 20]);
  }
  return pointsFrom(tuples);
}

/** Records one sender's updates: `add(doc, i)` makes the i-th, which becomes update i. */
function recordScript(clientId: number, count: number, add: (doc: Y.Doc, i: number) => void): SenderScript {
  const doc = createBoardDoc();
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  const startClock: number[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) {
    startClock.push(Y.getState(doc.store, clientId));
    add(doc, i);
  }
  const endClock = Y.getState(doc.store, clientId);
  doc.destroy();
  return { clientId, updates, startClock, endClock };
}

/** `count` updates, each one committed stroke of `points` points, as a board app would send. */
export function senderScript(clientId: number, count: number, points = 20): SenderScript {
  return recordScript(clientId, count, (doc, i) =>
    addElement(doc, { kind: 'stroke', x: i, y: clientId % 1000, points: strokePoints(clientId + i, points) }),
  );
}

/** Index of the update of `script` that starts at or before `clock`. */
export function updateIndexAt(script: SenderScript, clock: number): number {
  const starts = script.startClock;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= clock) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * `count` strokes of `points` points laid out in a grid 60 units apart, as one sender's script:
 * a board that fills space the way a real one does, so culling has something to cull.
 */
export function gridScript(clientId: number, count: number, points = 24): SenderScript {
  const columns = Math.ceil(Math.sqrt(count));
  return recordScript(clientId, count, (doc, i) =>
    addElement(doc, {
      kind: 'stroke',
      x: (i % columns) * 60,
      y: Math.floor(i / columns) * 60,
      strokeColor: ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44'][i % 4]!,
      points: strokePoints(i, points, { x: 10, y: 10 }),
    }),
  );
}

/**
 * The board benchmark's scene (see board-scene.ts) as one sender's script, a stroke an update,
 * each on top of the last, as the board's pen puts them.
 */
export function walkScript(clientId: number, count: number): SenderScript {
  const strokes: SceneStroke[] = walkStrokes(count);
  const order = keysBetween(null, null, count);
  return recordScript(clientId, count, (doc, i) => {
    const stroke = strokes[i]!;
    addElement(doc, {
      kind: 'stroke',
      z: order[i]!,
      x: stroke.x,
      y: stroke.y,
      strokeColor: stroke.color,
      strokeWidth: stroke.width,
      points: pointsFrom(stroke.points),
    });
  });
}

/**
 * `script` with every `size` updates merged into one, as a board filled over a long time is
 * stored: the per-connection rate limit then lets a large board be written in seconds.
 */
export function mergedScript(script: SenderScript, size: number): SenderScript {
  const updates: Uint8Array[] = [];
  const startClock: number[] = [];
  for (let i = 0; i < script.updates.length; i += size) {
    updates.push(Y.mergeUpdates(script.updates.slice(i, i + size)));
    startClock.push(script.startClock[i]!);
  }
  return { clientId: script.clientId, updates, startClock, endClock: script.endClock };
}
