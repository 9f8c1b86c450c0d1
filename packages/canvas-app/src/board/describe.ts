import type { ViewRect } from '@inkroom/shared';
import type { Peer } from '../presence/Presence.js';
import type { SceneIndex } from '../scene/SceneIndex.js';
import type { Viewport } from '../viewport/Viewport.js';

/** A plain summary of a board: what it holds, who is here, how it paints. */
export interface BoardDescription {
  count: number;
  kinds: string[];
  elements: {
    id: string;
    kind: string;
    x: number;
    y: number;
    author: string;
    /** The frame it belongs to, or null. */
    frame: string | null;
    text?: string;
  }[];
  status: string;
  zoom: number;
  lastPaintMs: number;
  paints: number;
  peers: {
    id: number;
    name: string;
    color: string;
    cursor: { x: number; y: number } | null;
    view: ViewRect | null;
    spotlight: boolean;
    /** Points of their laser trail not faded yet. */
    laser: number;
  }[];
}

export function describeBoard(
  scene: SceneIndex | null,
  status: string,
  viewport: Viewport,
  peers: Iterable<Peer>,
  paint: { lastPaintMs: number; paints: number },
): BoardDescription {
  const elements = (scene?.all() ?? []).map(({ element }) => ({
    id: element.id,
    kind: element.kind,
    x: element.x,
    y: element.y,
    author: element.author,
    frame: element.frame,
    ...('text' in element ? { text: element.text } : {}),
  }));
  return {
    count: elements.length,
    kinds: elements.map((e) => e.kind),
    elements,
    status,
    zoom: viewport.zoom,
    lastPaintMs: paint.lastPaintMs,
    paints: paint.paints,
    peers: [...peers].map((peer) => ({
      id: peer.clientId,
      name: peer.user.name,
      color: peer.user.color,
      cursor: peer.cursor,
      view: peer.view,
      spotlight: peer.spotlight,
      laser: peer.laser.visible(performance.now()),
    })),
  };
}
