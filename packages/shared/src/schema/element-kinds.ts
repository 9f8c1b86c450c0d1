import type { ElementId } from '../ids.js';
import {
  bindingField,
  booleanField,
  colorField,
  cropField,
  elementRefField,
  enumField,
  type FieldSpec,
  type FieldValue,
  idListField,
  numberField,
  orderField,
  pointsField,
  stringField,
  textField,
} from './fields.js';
import { MAX_COORDINATE } from './points.js';

/** Every kind of element a board holds. */
export const ELEMENT_KINDS = [
  'stroke',
  'rectangle',
  'ellipse',
  'line',
  'arrow',
  'text',
  'sticky',
  'image',
  'frame',
] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];

export function isElementKind(value: unknown): value is ElementKind {
  return typeof value === 'string' && (ELEMENT_KINDS as readonly string[]).includes(value);
}

/** The field that names an element's kind; it never changes after creation. */
export const KIND_KEY = 'kind';

export { MAX_COORDINATE };

/** Fields every element has. Positions and sizes are in board units (1 unit = 1 CSS px at zoom 1). */
export const COMMON_FIELDS = {
  x: numberField(0, { min: -MAX_COORDINATE, max: MAX_COORDINATE }),
  y: numberField(0, { min: -MAX_COORDINATE, max: MAX_COORDINATE }),
  width: numberField(0, { min: 0, max: MAX_COORDINATE }),
  height: numberField(0, { min: 0, max: MAX_COORDINATE }),
  /** Radians, clockwise, about the element's centre. */
  rotation: numberField(0, { min: -1000, max: 1000 }),
  strokeColor: colorField('#1e1e1e'),
  strokeWidth: numberField(2, { min: 0, max: 500 }),
  fill: colorField('none', true),
  opacity: numberField(1, { min: 0, max: 1 }),
  /** Paint order (fractional index). */
  z: orderField(),
  /** Display name of whoever created the element. */
  author: stringField('', 128),
  /** Ids of the groups the element belongs to, innermost first (groups nest). */
  groups: idListField(),
  /** A locked element cannot be picked by a click, moved, resized or erased. */
  locked: booleanField(false),
  /**
   * The frame the element belongs to, or null. A member's stored `x` and `y` are relative to its
   * frame's, so it moves with the frame, and a move of the frame and one of the member made at
   * the same moment both hold (see frames.ts). Readers get board coordinates.
   */
  frame: elementRefField(),
} as const;

const points = pointsField();
const text = textField();
const fontSize = numberField(20, { min: 1, max: 2000 });

/** Fields particular to each kind; a kind's field overrides a common one of the same name. */
export const KIND_FIELDS = {
  /** Freehand ink; `points` relative to x/y, with pressure when the device reports it. */
  stroke: { points, brush: enumField(['pen', 'highlighter'], 'pen') },
  /** Shapes, lines and arrows carry a label (`text`): centred in the shape, at a line's middle. */
  rectangle: { cornerRadius: numberField(0, { min: 0, max: MAX_COORDINATE }), text, fontSize },
  ellipse: { text, fontSize },
  /** Two or more points relative to x/y; either end may be bound to a shape (see bindings.ts). */
  line: { points, startBinding: bindingField(), endBinding: bindingField(), text, fontSize },
  arrow: {
    points,
    arrowStart: booleanField(false),
    arrowEnd: booleanField(true),
    startBinding: bindingField(),
    endBinding: bindingField(),
    text,
    fontSize,
  },
  text: {
    text,
    fontSize,
    align: enumField(['left', 'center', 'right'], 'left'),
  },
  sticky: {
    text,
    fontSize,
    fill: colorField('#ffe066', true),
  },
  /**
   * A picture: the SHA-256 (hex) of its file, stored once on the server
   * (`/api/rooms/<room>/assets/<asset>`), and the file's size in pixels; never its bytes.
   */
  image: {
    asset: stringField('', 64),
    naturalWidth: numberField(0, { min: 0, max: 100_000 }),
    naturalHeight: numberField(0, { min: 0, max: 100_000 }),
    /** The part of the picture shown, stretched over the element's box; null: all of it. */
    crop: cropField(),
  },
  /**
   * A named area of the board (a slide): the elements inside it belong to it (their `frame`) and
   * move with it. Frames are shown in their `z` order among frames (the presentation's order)
   * and never belong to a frame themselves.
   */
  frame: {
    name: stringField('', 120),
    strokeColor: colorField('#868e96'),
    strokeWidth: numberField(1, { min: 0, max: 500 }),
  },
} as const satisfies Record<ElementKind, Record<string, FieldSpec<unknown>>>;

type Values<Specs> = { -readonly [F in keyof Specs]: FieldValue<Specs[F]> };

export type CommonFields = Values<typeof COMMON_FIELDS>;
export type CommonFieldName = keyof CommonFields;
export type KindFieldSpecs<K extends ElementKind> = Omit<
  typeof COMMON_FIELDS,
  keyof (typeof KIND_FIELDS)[K]
> &
  (typeof KIND_FIELDS)[K];

/** The plain values of every field of a kind. */
export type ElementFields<K extends ElementKind> = Values<KindFieldSpecs<K>>;

/** A snapshot of one element, read from its Y.Map. */
export type ElementOf<K extends ElementKind> = { readonly id: ElementId; readonly kind: K } & Readonly<
  ElementFields<K>
>;

/** Any element, discriminated by `kind`. */
export type BoardElement = { [K in ElementKind]: ElementOf<K> }[ElementKind];

const specCache = new Map<ElementKind, ReadonlyMap<string, FieldSpec<unknown>>>();

/** The field specs of a kind, common ones first, as a map from field name. */
export function fieldSpecs(kind: ElementKind): ReadonlyMap<string, FieldSpec<unknown>> {
  let specs = specCache.get(kind);
  if (!specs) {
    specs = new Map<string, FieldSpec<unknown>>([
      ...Object.entries(COMMON_FIELDS),
      ...Object.entries(KIND_FIELDS[kind]),
    ]);
    specCache.set(kind, specs);
  }
  return specs;
}

/** True when elements of this kind carry `points`. */
export function hasPoints(kind: ElementKind): kind is 'stroke' | 'line' | 'arrow' {
  return kind === 'stroke' || kind === 'line' || kind === 'arrow';
}

/** True when elements of this kind carry a label: `text` drawn inside a shape or on a line. */
export function hasLabel(kind: ElementKind): kind is 'rectangle' | 'ellipse' | 'line' | 'arrow' {
  return kind === 'rectangle' || kind === 'ellipse' || kind === 'line' || kind === 'arrow';
}

/** True when elements of this kind are text: a text element or a sticky note. */
export function hasText(kind: ElementKind): kind is 'text' | 'sticky' {
  return kind === 'text' || kind === 'sticky';
}
