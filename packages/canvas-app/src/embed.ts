/**
 * The embeddable board: importing this module defines `<inkroom-board>`.
 *
 * @example
 * <script type="module" src="http://localhost:1234/inkroom-board.js"></script>
 * <inkroom-board server="ws://localhost:1234" room="team-plan"></inkroom-board>
 */

export type { BoardEventDetails } from './board/events.js';
export type { ExportOptions, PngExportOptions } from './board/exporting.js';
export { InkroomBoard } from './board/inkroom-board.js';
export type { ConnectionStatus } from './controllers/ConnectionController.js';
export type { UserInfo } from './presence/PresenceController.js';
