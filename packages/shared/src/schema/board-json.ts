import { newElementId } from '../ids.js';
import { rebind } from './bindings.js';
import { type BoardElement, type ElementKind, fieldSpecs, isElementKind } from './element-kinds.js';
import type { ElementInit } from './elements.js';
import { SCHEMA_VERSION } from './migrations.js';
import { MAX_COORDINATE, MAX_POINTS, type PointList } from './points.js';

/** The `type` of an Inkroom board file. */
export const BOARD_JSON_TYPE = 'inkroom-board';

/** Points in a board file: plain arrays instead of typed ones. */
export interface PointsJSON {
  xy: number[];
  pressure: number[] | null;
}

/** One element in a board file: every field, with points as {@link PointsJSON}. */
export type ElementJSON = Record<string, unknown> & { id: string; kind: ElementKind };

/** A board (or part of one) as JSON, what `exportJSON()` writes and `importJSON()` reads. */
export interface BoardJSON {
  type: typeof BOARD_JSON_TYPE;
  /** The schema version of the Inkroom that wrote it. */
  version: number;
  elements: ElementJSON[];
}

/** Thrown for a board file that cannot be imported; the message says what is wrong. */
export class BoardJSONError extends Error {
  override readonly name = 'BoardJSONError';
  readonly code = 'INKROOM_BAD_BOARD_JSON';
}

function isPointList(value: unknown): value is PointList {
  return typeof value === 'object' && value !== null && (value as PointList).xy instanceof Float32Array;
}

/** Elements as a board file, in the order given. */
export function boardToJSON(elements: readonly BoardElement[]): BoardJSON {
  return {
    type: BOARD_JSON_TYPE,
    version: SCHEMA_VERSION,
    elements: elements.map((element) => {
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(element)) {
        out[name] = isPointList(value)
          ? { xy: Array.from(value.xy), pressure: value.pressure ? Array.from(value.pressure) : null }
          : value;
      }
      return out as ElementJSON;
    }),
  };
}

function pointsFromJSON(value: unknown, where: string): PointList {
  const json = value as PointsJSON | null;
  const xy = json?.xy;
  if (!Array.isArray(xy) || xy.length % 2 !== 0 || xy.length / 2 > MAX_POINTS)
    throw new BoardJSONError(`${where}: points.xy must be an even-length array of numbers`);
  const count = xy.length / 2;
  if (!xy.every((v) => typeof v === 'number' && Math.abs(v) <= MAX_COORDINATE))
    throw new BoardJSONError(`${where}: points.xy must hold numbers within ±${MAX_COORDINATE}`);
  const pressure = json?.pressure ?? null;
  if (pressure !== null && (!Array.isArray(pressure) || pressure.length !== count))
    throw new BoardJSONError(`${where}: points.pressure must be null or one number per point`);
  if (pressure?.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 1)))
    throw new BoardJSONError(`${where}: points.pressure values must be numbers from 0 to 1`);
  return { xy: Float32Array.from(xy), pressure: pressure ? Float32Array.from(pressure) : null };
}

/**
 * Reads a board file into element inits with new ids and no order keys (the importer gives
 * those); ends bound to elements of the file are bound to their new ids, others are left free.
 * Throws {@link BoardJSONError} naming the first problem; values are checked again, field by
 * field, when the elements are added.
 */
export function elementsFromJSON(input: unknown): ElementInit<ElementKind>[] {
  const inits = readElements(input);
  const ids = new Map(inits.map(({ fileId, init }) => [fileId, init.id!]));
  return inits.map(({ init }) => rebind(init, ids));
}

function readElements(input: unknown): { fileId: string; init: ElementInit<ElementKind> }[] {
  const data = typeof input === 'string' ? parseText(input) : input;
  const board = data as Partial<BoardJSON> | null;
  if (typeof board !== 'object' || board === null || board.type !== BOARD_JSON_TYPE)
    throw new BoardJSONError(`not an Inkroom board file (type must be "${BOARD_JSON_TYPE}")`);
  if (typeof board.version !== 'number' || board.version > SCHEMA_VERSION)
    throw new BoardJSONError(
      `board file version ${board.version} is not supported (at most ${SCHEMA_VERSION})`,
    );
  if (!Array.isArray(board.elements)) throw new BoardJSONError('elements must be an array');
  return board.elements.map((raw, index) => {
    const where = `elements[${index}]`;
    if (typeof raw !== 'object' || raw === null) throw new BoardJSONError(`${where} is not an object`);
    const { kind } = raw as { kind?: unknown };
    if (!isElementKind(kind)) throw new BoardJSONError(`${where}: unknown kind ${String(kind)}`);
    const specs = fieldSpecs(kind);
    const { id: fileId } = raw as { id?: unknown };
    const init: Record<string, unknown> = { kind, id: newElementId() };
    for (const [name, value] of Object.entries(raw)) {
      if (name === 'id' || name === 'kind' || name === 'z') continue;
      const spec = specs.get(name);
      if (!spec) throw new BoardJSONError(`${where}: unknown field ${name} for ${kind}`);
      init[name] = spec.type === 'points' ? pointsFromJSON(value, where) : value;
      try {
        spec.write(init[name]);
      } catch (error) {
        throw new BoardJSONError(`${where}.${name}: ${(error as Error).message}`);
      }
    }
    return { fileId: typeof fileId === 'string' ? fileId : '', init: init as ElementInit<ElementKind> };
  });
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BoardJSONError(`not JSON: ${(error as Error).message}`);
  }
}
