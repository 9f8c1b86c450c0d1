export { parseCli, USAGE } from './cli-args.js';
export { DEFAULT_CONFIG, type RoomLimits, type ServerConfig } from './config.js';
export type { ServerSocket } from './core/ServerSocket.js';
export { SyncCore, type SyncStats } from './core/SyncCore.js';
export { createLogger, type Logger } from './logger.js';
export {
  defaultStaticDir,
  type InkroomServer,
  type InkroomServerOptions,
  roomNameFromUrl,
  startInkroomServer,
} from './server.js';
export { LevelRoomStore, type LevelRoomStoreOptions } from './storage/LevelRoomStore.js';
export type { RoomStore, StoredRoom } from './storage/RoomStore.js';
