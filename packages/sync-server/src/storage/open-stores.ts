import type { ServerConfig } from '../config.js';
import type { Cluster } from '../core/Cluster.js';
import type { Logger } from '../logger.js';
import type { AssetStore } from './AssetStore.js';
import type { AuthStore } from './AuthStore.js';
import { LevelAssetStore } from './LevelAssetStore.js';
import { LevelAuthStore } from './LevelAuthStore.js';
import { LevelRoomStore } from './LevelRoomStore.js';
import { LevelVersionStore } from './LevelVersionStore.js';
import type { RoomStore } from './RoomStore.js';
import { redisAddress } from './redis/address.js';
import { durabilityProblems } from './redis/durability.js';
import { RedisAssetStore } from './redis/RedisAssetStore.js';
import { RedisAuthStore } from './redis/RedisAuthStore.js';
import { RedisCluster } from './redis/RedisCluster.js';
import { RedisRoomStore } from './redis/RedisRoomStore.js';
import { RedisVersionStore } from './redis/RedisVersionStore.js';
import { connectedReplicas, replicaWaitProblem } from './redis/replicas.js';
import type { VersionStore } from './VersionStore.js';

/** The stores a server keeps its rooms, access records and images in. */
export interface Stores {
  readonly rooms: RoomStore;
  readonly auth: AuthStore;
  readonly assets: AssetStore;
  readonly versions: VersionStore;
  /** The other processes sharing the rooms (with Redis). */
  readonly cluster?: Cluster;
  /** The signing secret `--auth links` makes when none is given, shared by every process (Redis). */
  readonly sharedSecret?: () => Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens the data folder's LevelDB, and with `config.redis` the Redis rooms, access records and
 * images are kept in instead: refused (unless `redisDurability` is relaxed) when Redis could lose
 * an acknowledged write. (The LevelDB stays open: it holds the data folder's lock.)
 */
export async function openStores(config: ServerConfig, logger: Logger): Promise<Stores> {
  const level = await LevelRoomStore.open(config.dataDir, { syncWrites: config.syncWrites });
  if (!config.redis)
    return {
      rooms: level,
      auth: new LevelAuthStore(level.db),
      assets: new LevelAssetStore(level.db),
      versions: new LevelVersionStore(level.db),
      close: () => level.close(),
    };
  const address = redisAddress(config.redis);
  let redis: RedisRoomStore;
  try {
    redis = await RedisRoomStore.open(config.redis, {
      timeoutMs: config.redisTimeoutMs,
      replicas: config.redisReplicas,
    });
  } catch (error) {
    await level.close();
    throw new Error(`cannot reach Redis at ${address}: ${(error as Error).message}`);
  }
  const replicaProblem = await replicaWaitProblem(redis.redis, config.redisReplicas).catch(
    (error: unknown) => `cannot read its version: ${(error as Error).message}`,
  );
  if (replicaProblem) {
    await Promise.all([redis.close(), level.close()]);
    throw new Error(`Redis at ${address}: ${replicaProblem}`);
  }
  const problems = await durabilityProblems(redis.redis).catch(async (error: unknown) => {
    await Promise.all([redis.close(), level.close()]);
    throw new Error(`cannot read the settings of Redis at ${address}: ${(error as Error).message}`);
  });
  if (problems.length > 0) {
    if (config.redisDurability === 'strict') {
      await Promise.all([redis.close(), level.close()]);
      throw new Error(
        `Redis at ${address} could lose acknowledged writes: ${problems.join('; ')} (set them, or start with --redis-durability relaxed)`,
      );
    }
    logger.warn(
      { redis: address, problems, note: 'acknowledged writes can be lost if Redis stops' },
      'redis.not_durable',
    );
  }
  if (config.redisReplicas > 0) {
    const connected = await connectedReplicas(redis.redis).catch(() => 0);
    if (connected < config.redisReplicas)
      logger.warn(
        { redis: address, replicas: connected, needed: config.redisReplicas },
        'redis.replicas_missing',
      );
  }
  let cluster: RedisCluster;
  try {
    cluster = await RedisCluster.start(redis.redis, redis.nodeId);
  } catch (error) {
    await Promise.all([redis.close(), level.close()]);
    throw new Error(`cannot reach Redis at ${address}: ${(error as Error).message}`);
  }
  logger.info({ redis: address, node: redis.nodeId }, 'redis.connected');
  const auth = new RedisAuthStore(redis.redis);
  return {
    rooms: redis,
    assets: new RedisAssetStore(redis.redis),
    versions: new RedisVersionStore(redis.redis),
    auth,
    cluster,
    sharedSecret: () => auth.sharedSecret(),
    close: async () => {
      await cluster.close();
      await Promise.all([redis.close(), level.close()]);
    },
  };
}
