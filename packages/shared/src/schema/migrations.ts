import * as Y from 'yjs';
import { elementsMap, metaMap, SCHEMA_VERSION_KEY } from './board-doc.js';
import { rawElement, writeRawElement } from './elements.js';

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = 5;

/** Kinds that gained a label in version 4. */
const LABELLED = new Set(['rectangle', 'ellipse', 'line', 'arrow']);

/** An element's stored fields as a plain object, the unit migrations work on. */
export type RawElement = Readonly<Record<string, unknown>>;

/**
 * One step of the board schema, from `version - 1` to `version`. `up` is pure: it returns a new
 * record and never changes its argument (tests freeze the input to hold it to that). Values that
 * are Yjs types (a sticky note's Y.Text) are passed through by reference and must be returned as
 * they are or replaced, never edited in place.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  up(element: RawElement): RawElement;
}

/**
 * Every migration, in order. Version 1 is the first published schema and needs none; a schema
 * change adds an entry here and bumps {@link SCHEMA_VERSION}.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 2,
    description:
      'new elements keep their creation fields in one `init` record; version 1 elements read as they are, ' +
      'and the stamp keeps an older Inkroom, which would not see the new elements, from editing the board',
    up: (element) => element,
  },
  {
    version: 3,
    description:
      'elements gain `groups` (group ids, innermost first) and `locked`; both default to none, so nothing ' +
      'is rewritten, and the stamp keeps an older Inkroom, which would move locked elements and split groups, ' +
      'from editing the board',
    up: (element) => element,
  },
  {
    version: 4,
    description:
      'lines and arrows gain `startBinding` and `endBinding` (the element an end is attached to, and where); ' +
      'a board made before has none, so every end stays where it was drawn. Rectangles, ellipses, lines and ' +
      'arrows gain a label (`text`, `fontSize`): those made before get their empty Y.Text now, as new ones ' +
      'get it at creation, so that two people labelling one at once type into the same text. Images arrive ' +
      '(`image`: an asset hash and natural size). The stamp keeps an older Inkroom, which would leave bound ' +
      'ends behind, not show labels and drop images, from editing the board',
    up: (element) =>
      LABELLED.has(element.kind as string) && !(element.text instanceof Y.Text)
        ? { ...element, text: new Y.Text() }
        : element,
  },
  {
    version: 5,
    description:
      'frames arrive (`frame`: a named area, a slide) and every element gains `frame`, the frame it belongs to, ' +
      "its position then stored relative to the frame's; a board made before has no frames, so nothing is " +
      'rewritten. The stamp keeps an older Inkroom, which would read members at the wrong place and drop ' +
      'frames, from editing the board',
    up: (element) => element,
  },
];

/** Thrown when a board was written by a newer Inkroom than this one: it must not be edited. */
export class SchemaTooNewError extends Error {
  readonly code = 'INKROOM_SCHEMA_TOO_NEW';
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`board schema version ${found} is newer than the supported version ${supported}`);
  }
}

/** Checks a migration list: versions 2..target, each exactly once and in order. */
export function assertMigrationSequence(migrations: readonly Migration[], target: number): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 2) {
      throw new Error(`migration at index ${index} has version ${migration.version}, expected ${index + 2}`);
    }
  });
  if (migrations.length !== target - 1) {
    throw new Error(`schema version ${target} needs ${target - 1} migrations, found ${migrations.length}`);
  }
}

/** The stored schema version; a board without one predates versioning and is version 1. */
export function boardSchemaVersion(doc: Y.Doc): number {
  const stored = metaMap(doc).get(SCHEMA_VERSION_KEY);
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= 1 ? stored : 1;
}

/**
 * Brings a loaded board up to `target`, all in one transaction, and stamps the version. Only
 * fields a migration changed are written, so edits arriving concurrently from peers that run the
 * same migration converge. Throws {@link SchemaTooNewError} for a board from a newer Inkroom.
 * Returns the number of migrations applied.
 */
export function migrateBoard(
  doc: Y.Doc,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = SCHEMA_VERSION,
  origin?: unknown,
): number {
  const from = boardSchemaVersion(doc);
  if (from > target) throw new SchemaTooNewError(from, target);
  const steps = migrations.filter((m) => m.version > from && m.version <= target);
  const meta = metaMap(doc);
  if (steps.length === 0 && meta.get(SCHEMA_VERSION_KEY) === target) return 0;
  doc.transact(() => {
    elementsMap(doc).forEach((map) => {
      if (!(map instanceof Y.Map)) return;
      const before: RawElement = rawElement(map);
      const after = steps.reduce<RawElement>((record, step) => step.up(record), before);
      writeRawElement(map, before, after);
    });
    meta.set(SCHEMA_VERSION_KEY, target);
  }, origin);
  return steps.length;
}
