/**
 * The embeddable board: importing this module defines `<inkroom-board>`.
 *
 * It also exports what a page needs to read and change `board.doc` itself: the board schema's
 * typed accessors and Yjs, the very copies the board uses (a second Yjs in the page would not
 * recognise the board's types).
 *
 * @example
 * <script type="module" src="http://localhost:1234/inkroom-board.js"></script>
 * <inkroom-board server="ws://localhost:1234" room="team-plan"></inkroom-board>
 */

export {
  type AccessScope,
  addElement,
  type BoardElement,
  type BoardJSON,
  BoardJSONError,
  boardToJSON,
  deleteElements,
  type ElementId,
  type ElementKind,
  type ElementsDiff,
  elementsFromJSON,
  getElement,
  listElements,
  observeElements,
  peekTokenClaims,
  renderSvg,
  setElementField,
  updateElement,
} from '@inkroom/shared';
export * as Y from 'yjs';
export type { BoardEventDetails } from './board/events.js';
export type { ExportOptions, PngExportOptions } from './board/exporting.js';
export { InkroomBoard } from './board/inkroom-board.js';
export type { TokenProvider } from './controllers/AccessToken.js';
export type { ConnectionStatus } from './controllers/ConnectionController.js';
export type { Person, UserInfo } from './presence/Presence.js';
