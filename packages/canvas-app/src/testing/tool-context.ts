import { createBoardDoc, type ElementId } from '@inkroom/shared';
import { translator } from '../i18n/Translator.js';
import { SceneIndex } from '../scene/SceneIndex.js';
import type { BoardPointer, ToolContext } from '../tools/Tool.js';
import { Viewport } from '../viewport/Viewport.js';

/**
 * A tool context over a fresh board doc and a live scene index, with an 800×600 view, for unit
 * tests of tools and board actions. Hooks do nothing unless `overrides` says otherwise.
 */
export function testToolContext(overrides: Partial<ToolContext> = {}): ToolContext {
  const doc = overrides.doc ?? createBoardDoc();
  const scene = new SceneIndex(doc);
  scene.start();
  const viewport = new Viewport();
  viewport.setSize(800, 600);
  return {
    doc,
    scene,
    viewport,
    origin: {},
    style: { strokeColor: '#1e1e1e', strokeWidth: 2, fill: 'none', opacity: 1 },
    author: 'Ada',
    translator: translator('en'),
    selection: new Set<ElementId>(),
    selectionChanged: () => {},
    requestOverlay: () => {},
    editText: () => {},
    shareLiveStroke: () => {},
    pointLaser: () => {},
    hide: () => {},
    setTool: () => {},
    ...overrides,
  };
}

/** A mouse pointer at a board point (the view at zoom 1, not panned), for driving tools. */
export function testPointer(x: number, y: number, extra: Partial<BoardPointer> = {}): BoardPointer {
  return {
    screen: { x, y },
    board: { x, y },
    pressure: 0.5,
    pointerType: 'mouse',
    shiftKey: false,
    altKey: false,
    modKey: false,
    ...extra,
  };
}
