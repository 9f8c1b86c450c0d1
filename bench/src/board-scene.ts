/*
 * The board benchmark's scene and camera path, the same for Inkroom and Excalidraw: pen strokes
 * of 50 points, random walks about 250 board px long, spread uniformly over a 5000×5000 board,
 * widths 2–8; looked at whole (25 % zoom: most strokes in view) or close (200 %), panned in a
 * figure eight and zoomed ±15 % every frame.
 */

export const BOARD_SIZE = 5000;
export const POINTS_PER_STROKE = 50;
/** The page's size, as the issue measured it. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

export interface SceneStroke {
  /** Where the stroke starts, in board px. */
  x: number;
  y: number;
  /** Width in board px (2–8). */
  width: number;
  color: string;
  /** Points relative to (x, y), with pressure: [dx, dy, pressure]. */
  points: [number, number, number][];
}

const COLORS = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44', '#f08c00'];

/** A small, seeded generator (mulberry32): the same scene in every run and for every board. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * `count` strokes: each a random walk of 50 points with steps of about 5 px (about 250 px long)
 * that turns smoothly, as a hand does, starting anywhere on the board.
 */
export function walkStrokes(count: number, seed = 1): SceneStroke[] {
  const next = random(seed);
  const strokes: SceneStroke[] = [];
  for (let i = 0; i < count; i++) {
    let heading = next() * Math.PI * 2;
    let dx = 0;
    let dy = 0;
    const points: [number, number, number][] = [];
    for (let p = 0; p < POINTS_PER_STROKE; p++) {
      points.push([Math.round(dx * 10) / 10, Math.round(dy * 10) / 10, 0.5]);
      heading += (next() - 0.5) * 0.8;
      const step = 4 + next() * 2;
      dx += Math.cos(heading) * step;
      dy += Math.sin(heading) * step;
    }
    strokes.push({
      x: Math.round(next() * (BOARD_SIZE - 250)) + 125,
      y: Math.round(next() * (BOARD_SIZE - 250)) + 125,
      width: 2 + Math.round(next() * 6),
      color: COLORS[i % COLORS.length]!,
      points,
    });
  }
  return strokes;
}

/** How many strokes' point bounds meet the board area the camera shows. */
export function strokesInView(strokes: SceneStroke[], at: Camera): number {
  const halfWidth = VIEWPORT.width / 2 / at.zoom;
  const halfHeight = VIEWPORT.height / 2 / at.zoom;
  let count = 0;
  for (const { x, y, points } of strokes) {
    let minX = 0;
    let minY = 0;
    let maxX = 0;
    let maxY = 0;
    for (const [dx, dy] of points) {
      minX = Math.min(minX, dx);
      minY = Math.min(minY, dy);
      maxX = Math.max(maxX, dx);
      maxY = Math.max(maxY, dy);
    }
    if (
      x + maxX >= at.centerX - halfWidth &&
      x + minX <= at.centerX + halfWidth &&
      y + maxY >= at.centerY - halfHeight &&
      y + minY <= at.centerY + halfHeight
    )
      count++;
  }
  return count;
}

export interface Camera {
  /** The board point at the middle of the screen. */
  centerX: number;
  centerY: number;
  zoom: number;
}

/**
 * Where the camera is at frame `frame` (60 a second) around zoom `zoom`: a figure eight 300
 * screen px wide around the board's middle, a full turn every 4 s, and the zoom 15 % either side
 * of `zoom`, changing every frame. As a function's source, to run in the page.
 */
export const CAMERA_SOURCE = `(frame, zoom) => {
  const t = (frame / 240) * Math.PI * 2;
  const z = zoom * (1 + 0.15 * Math.sin(frame / 9));
  return {
    centerX: ${BOARD_SIZE / 2} + (300 * Math.sin(t)) / z,
    centerY: ${BOARD_SIZE / 2} + (150 * Math.sin(2 * t)) / z,
    zoom: z,
  };
}`;
