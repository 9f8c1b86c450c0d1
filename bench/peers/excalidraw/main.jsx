/*
 * The Excalidraw side of the board benchmark: <Excalidraw> full-window, loading the scene given
 * by `?scene=<url>` (SceneStroke[] as JSON, bench/src/board-scene.ts) with the camera given by
 * `?cx=&cy=&zoom=`, and `window.excalidrawBench` for the harness (bench/src/excalidraw-board.ts).
 */
import { CaptureUpdateAction, Excalidraw, restoreElements } from '@excalidraw/excalidraw';
import '@excalidraw/excalidraw/index.css';
import { createRoot } from 'react-dom/client';

/**
 * Renders of the static canvas (the one that holds the elements). Excalidraw's renderStaticScene
 * starts with `canvas.getContext('2d')` on that canvas, once a render, so counting those calls
 * counts renders; a microtask queued there runs once the effect that renders has returned.
 */
const renders = { count: 0, ms: [], listeners: new Set() };
const getContext = HTMLCanvasElement.prototype.getContext;
HTMLCanvasElement.prototype.getContext = function (...args) {
  if (this.classList.contains('static')) {
    const started = performance.now();
    renders.count++;
    queueMicrotask(() => renders.ms.push(performance.now() - started));
    for (const listener of renders.listeners) listener();
  }
  return getContext.apply(this, args);
};

/** Freedraw elements from the benchmark's strokes, completed by Excalidraw's own restore. */
function toElements(strokes) {
  const partial = strokes.map((stroke, i) => {
    let minX = 0;
    let minY = 0;
    let maxX = 0;
    let maxY = 0;
    for (const [dx, dy] of stroke.points) {
      minX = Math.min(minX, dx);
      minY = Math.min(minY, dy);
      maxX = Math.max(maxX, dx);
      maxY = Math.max(maxY, dy);
    }
    return {
      type: 'freedraw',
      id: `stroke-${i}`,
      seed: i + 1,
      x: stroke.x,
      y: stroke.y,
      width: maxX - minX,
      height: maxY - minY,
      strokeColor: stroke.color,
      backgroundColor: 'transparent',
      // Matched on screen: Inkroom's pen at half pressure is 2 × its width across, Excalidraw
      // draws a freedraw stroke 4.25 × its strokeWidth across.
      strokeWidth: (stroke.width * 2) / 4.25,
      points: stroke.points.map(([dx, dy]) => [dx, dy]),
      pressures: stroke.points.map((point) => point[2]),
      simulatePressure: false,
    };
  });
  return restoreElements(partial, null);
}

/** Excalidraw's camera for a board point at the middle of the screen: screen = (board + scroll) * zoom. */
function cameraState({ centerX, centerY, zoom }) {
  return {
    scrollX: window.innerWidth / (2 * zoom) - centerX,
    scrollY: window.innerHeight / (2 * zoom) - centerY,
    zoom: { value: zoom },
  };
}

const params = new URL(location.href).searchParams;
const camera = {
  centerX: Number(params.get('cx') ?? 0),
  centerY: Number(params.get('cy') ?? 0),
  zoom: Number(params.get('zoom') ?? 1),
};
const sceneUrl = params.get('scene');
const strokes = sceneUrl ? fetch(sceneUrl).then((response) => response.json()) : Promise.resolve([]);

/** Excalidraw's imperative API, once it has mounted; the harness calls it inside animation frames. */
let excalidraw = null;
let resolveApi;
const api = new Promise((resolve) => {
  resolveApi = (value) => {
    excalidraw = value;
    resolve(value);
  };
});

/**
 * When the loaded scene was first on screen, in ms from navigation start: the first static render
 * that had every element in the scene, then two animation frames so that the frame holding that
 * render has been produced. Also how long that render took.
 */
const firstPaint = Promise.all([api, strokes]).then(
  ([, scene]) =>
    new Promise((resolve) => {
      const check = () => {
        if (excalidraw.getSceneElements().length !== scene.length) return;
        renders.listeners.delete(check);
        const render = renders.ms.length;
        requestAnimationFrame(() =>
          requestAnimationFrame(() => resolve({ ms: performance.now(), renderMs: renders.ms[render] })),
        );
      };
      renders.listeners.add(check);
    }),
);

window.excalidrawBench = {
  ready: api.then(() => true),
  firstPaint,
  renders,
  /** Replaces the scene with these strokes (SceneStroke[]). */
  load(sceneStrokes) {
    excalidraw.updateScene({ elements: toElements(sceneStrokes), captureUpdate: CaptureUpdateAction.NEVER });
  },
  /**
   * Moves the camera. `gesture` marks the move the way Excalidraw's own wheel and pinch zoom do
   * (shouldCacheIgnoreZoom: scale the elements' cached bitmaps rather than redraw them).
   */
  setCamera(next, gesture = false) {
    excalidraw.updateScene({ appState: { ...cameraState(next), shouldCacheIgnoreZoom: gesture } });
  },
  /** The camera as Excalidraw holds it. */
  camera() {
    const { scrollX, scrollY, zoom, width, height } = excalidraw.getAppState();
    return { scrollX, scrollY, zoom: zoom.value, width, height };
  },
};

const initialData = strokes.then((scene) => ({
  elements: toElements(scene),
  appState: cameraState(camera),
  scrollToContent: false,
}));

createRoot(document.getElementById('root')).render(
  <Excalidraw initialData={initialData} excalidrawAPI={resolveApi} />,
);
