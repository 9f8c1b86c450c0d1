export {
  type AccessScope,
  type AuthInfo,
  INKROOM_PROTOCOL,
  isAccessScope,
  type LinkGrant,
  type LinkView,
  peekTokenClaims,
  roomMatches,
  TOKEN_PARAM,
  TOKEN_PROTOCOL_PREFIX,
  type TokenClaims,
} from './auth/access.js';
export {
  asElementId,
  type Brand,
  type ElementId,
  MAX_ROOM_ID_LENGTH,
  newElementId,
  parseRoomId,
  type RoomId,
  randomId,
} from './ids.js';
export {
  AuthMessageType,
  CLOSE_REASONS,
  CloseCode,
  decodeMessage,
  encodeAuthToken,
  encodeAwareness,
  encodePermissionDenied,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type IncomingMessage,
  MessageType,
  ProtocolError,
  SyncMessageType,
} from './protocol/protocol.js';
export {
  type Bounds,
  boundsOfPoints,
  boxFrom,
  center,
  contains,
  EMPTY_BOUNDS,
  elementBounds,
  expand,
  inkRadius,
  intersects,
  type Point,
  rotatedBox,
  union,
} from './render/bounds.js';
export {
  type ElementGeometry,
  elementGeometry,
  freehandInput,
  freehandOptions,
  traceOutline,
} from './render/geometry.js';
export {
  elementAlpha,
  elementRotation,
  estimateTextWidth,
  FONT_FAMILY,
  HIGHLIGHTER_ALPHA,
  LINE_HEIGHT,
  layoutText,
  type MeasureText,
  STICKY_FILL,
  STICKY_PADDING,
  STICKY_SHADOW,
  type TextLayout,
  wrapText,
} from './render/paint.js';
export { type PathSink, SvgPath } from './render/path-sink.js';
export { boundsOfElements, RENDERER_VERSION, renderSvg, type SvgOptions, svgChunks } from './render/svg.js';
export { createBoardDoc, SCHEMA_VERSION_KEY, undoScope } from './schema/board-doc.js';
export {
  BOARD_JSON_TYPE,
  type BoardJSON,
  BoardJSONError,
  boardToJSON,
  type ElementJSON,
  elementsFromJSON,
  type PointsJSON,
} from './schema/board-json.js';
export {
  type BoardElement,
  COMMON_FIELDS,
  type CommonFieldName,
  type CommonFields,
  ELEMENT_KINDS,
  type ElementFields,
  type ElementKind,
  type ElementOf,
  fieldSpecs,
  hasPoints,
  hasText,
  isElementKind,
  KIND_FIELDS,
  MAX_COORDINATE,
} from './schema/element-kinds.js';
export {
  addElement,
  deleteElements,
  type ElementInit,
  elementKind,
  elementText,
  getElement,
  hasElementId,
  isKind,
  listElements,
  readElement,
  replaceText,
  setElementField,
  updateElement,
} from './schema/elements.js';
export { type Color, type FieldSpec, isColor, type OrderKey } from './schema/fields.js';
export {
  assertMigrationSequence,
  boardSchemaVersion,
  MIGRATIONS,
  type Migration,
  migrateBoard,
  type RawElement,
  SCHEMA_VERSION,
  SchemaTooNewError,
} from './schema/migrations.js';
export { type ElementsDiff, observeElements } from './schema/observe.js';
export { compareOrder, isOrderKey, keyBetween, keysAt, keysBetween } from './schema/order.js';
export {
  DEFAULT_POINT_PRECISION,
  decodePoints,
  EMPTY_POINTS,
  encodePoints,
  MAX_POINTS,
  type PointList,
  pointCount,
  pointsFrom,
} from './schema/points.js';
