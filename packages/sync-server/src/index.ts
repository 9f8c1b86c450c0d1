export { AccessError } from './auth/AccessError.js';
export { Authority, type RevokeTarget } from './auth/Authority.js';
export { formatDuration, parseDuration } from './auth/durations.js';
export { KeyRing, KeyRingError } from './auth/keys.js';
export { ShareLinks } from './auth/ShareLinks.js';
export {
  type CreatedToken,
  type CreateTokenOptions,
  createToken,
  type TokenRefusal,
  type VerifiedToken,
  verifyToken,
} from './auth/tokens.js';
export { type CliResult, parseCli, printableConfig, type ResolvedConfig, USAGE } from './cli-args.js';
export {
  AUTH_MODES,
  type AuthMode,
  type AuthSettings,
  DEFAULT_CONFIG,
  type RoomCreators,
  type RoomLimits,
  type ServerConfig,
} from './config.js';
export type { ServerSocket } from './core/ServerSocket.js';
export type { Authorize, ConnectionRequest, Refusal, Session } from './core/Session.js';
export { SyncCore, type SyncStats } from './core/SyncCore.js';
export { createLogger, type Logger } from './logger.js';
export {
  connectionRequest,
  defaultStaticDir,
  type InkroomServer,
  type InkroomServerOptions,
  roomNameFromUrl,
  startInkroomServer,
} from './server.js';
export { ConfigError, parseBytes, SETTINGS, type Setting } from './settings.js';
export type { AuthStore, LinkRecord, Revocation } from './storage/AuthStore.js';
export { LevelAuthStore } from './storage/LevelAuthStore.js';
export { LevelRoomStore, type LevelRoomStoreOptions } from './storage/LevelRoomStore.js';
export { LevelVersionStore } from './storage/LevelVersionStore.js';
export type { RoomStore, StoredRoom } from './storage/RoomStore.js';
export { DURABLE_REDIS, durabilityProblems } from './storage/redis/durability.js';
export { RedisRoomStore, type RedisRoomStoreOptions } from './storage/redis/RedisRoomStore.js';
export { RedisVersionStore } from './storage/redis/RedisVersionStore.js';
export type { NewVersion, VersionInfo, VersionStore } from './storage/VersionStore.js';
