import {
  type AccessScope,
  CloseCode,
  isAccessScope,
  parseRoomId,
  type RoomId,
  roomMatches,
} from '@inkroom/shared';
import type { AuthMode, AuthSettings, RoomCreators } from '../config.js';
import type { Cluster } from '../core/Cluster.js';
import {
  type Authorize,
  type ConnectionRequest,
  openSession,
  type Refusal,
  type Session,
  type SessionMatch,
  sessionMatches,
} from '../core/Session.js';
import type { Logger } from '../logger.js';
import type { AuthStore, LinkRecord, Revocation } from '../storage/AuthStore.js';
import { AccessError } from './AccessError.js';
import { KeyRing } from './keys.js';
import { Revocations, type RevokedTarget } from './Revocations.js';
import { ShareLinks } from './ShareLinks.js';
import { sameSecret } from './secrets.js';
import { type CreatedToken, createToken, isTokenRefusal, verifyToken } from './tokens.js';

/** Access records in a backup. */
export type BackupRecord =
  | { type: 'link'; link: LinkRecord }
  | { type: 'revocation'; revocation: Revocation };

/** What to revoke: one token, one share link, or every token of one person. */
export type RevokeTarget = RevokedTarget | { link: string };

/** Open sockets whose sessions match must close with `code`. */
export type SessionsEnd = (matches: (session: Session) => boolean, code: CloseCode) => number;

/** Times a token is checked afresh when access changed while it was being checked. */
const MAX_CHECKS = 5;

export interface AuthorityOptions {
  /** Whether the room store holds anything for a room (a named room is created only if not). */
  roomHasContent: (room: RoomId) => Promise<boolean>;
  /** Other processes sharing the store: told what to close, and telling this one. */
  cluster?: Cluster | undefined;
}

/**
 * Access control: verifies tokens for sockets and HTTP reads, keeps share links and revocations,
 * and tells the core which open sockets must go when something is revoked or changed.
 *
 * A check that reads the store while access changes could let a socket in with a token revoked
 * meanwhile, after the revocation closed every socket it knew of. So every change bumps an epoch
 * in the same turn as it closes sockets, and a check that saw the epoch move runs again; a check
 * that did not is followed, without a turn in between, by the core giving the socket its session.
 */
export class Authority {
  private readonly endListeners = new Set<SessionsEnd>();
  private epoch = 0;
  /** Share links: rooms with an owner link, view and edit links, link keys for tokens. */
  readonly links: ShareLinks;

  private constructor(
    private readonly settings: AuthSettings,
    private readonly keys: KeyRing | null,
    private readonly store: AuthStore,
    private readonly revocations: Revocations,
    options: AuthorityOptions,
    private readonly logger: Logger,
    private readonly cluster: Cluster | null,
  ) {
    cluster?.onEvent((event) => {
      if (event.type === 'sessions-end') this.endSessionsHere(event.match, event.code);
    });
    this.links = new ShareLinks({
      store,
      settings,
      signingRing: () => this.signingRing(),
      roomHasContent: options.roomHasContent,
      check: (room, token) => this.checkSettled(room, token),
      isAdmin: (bearer) => this.isAdmin(bearer),
      revokeLink: (id) => this.revoke({ link: id }),
      endSessions: (match, code) => this.endSessions(match, code),
    });
  }

  /** Reads the key ring and the revocations. Throws a KeyRingError for an unusable secret. */
  static async create(
    settings: AuthSettings,
    store: AuthStore,
    options: AuthorityOptions,
    logger: Logger,
  ): Promise<Authority> {
    const keys = settings.authSecret ? await KeyRing.parse(settings.authSecret) : null;
    if (settings.auth !== 'off' && !keys)
      throw new Error(
        `--auth ${settings.auth} needs a signing key: --auth-secret-file or INKROOM_AUTH_SECRET`,
      );
    if (settings.auth === 'links' && !keys?.signing)
      throw new Error('--auth links needs an HS256 secret to sign tokens with, not only public keys');
    const revocations = await Revocations.load(store, settings);
    return new Authority(settings, keys, store, revocations, options, logger, options.cluster ?? null);
  }

  get mode(): AuthMode {
    return this.settings.auth;
  }

  get createRooms(): RoomCreators {
    return this.settings.createRooms;
  }

  /** Called with the sockets to close whenever access is revoked or changed. */
  onSessionsEnd(listener: SessionsEnd): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** The core's auth step: a socket's room and token in, a session or a refusal out. */
  readonly authorize: Authorize = (request: ConnectionRequest) => this.check(request.roomName, request.token);

  /** The same check for an HTTP read of a room (previews, exports). */
  check(roomName: string, token: string | null): Promise<Session | Refusal> | Session | Refusal {
    const room = parseRoomId(roomName);
    if (!room) return { refused: CloseCode.InvalidRoom, reason: 'invalid room name' };
    if (this.settings.auth === 'off') return openSession(room);
    if (!token) return { refused: CloseCode.Unauthorized, reason: 'no token' };
    return this.checkSettled(room, token);
  }

  /** Whether an admin token is configured (the admin API is off without one). */
  get hasAdminApi(): boolean {
    return this.settings.adminToken !== null;
  }

  /** Whether `bearer` is the admin token (constant time). False when the admin API is off. */
  isAdmin(bearer: string | null): boolean {
    const expected = this.settings.adminToken;
    return expected !== null && bearer !== null && sameSecret(bearer, expected);
  }

  /** Signs a token (the admin API's `POST /api/admin/tokens`). */
  async mintToken(options: {
    room: string;
    scope: AccessScope;
    ttlSeconds: number;
    sub?: string;
    name?: string;
  }): Promise<CreatedToken> {
    if (options.ttlSeconds > this.settings.maxTokenTtlSeconds)
      throw new AccessError(400, `ttl is longer than the server's --max-token-ttl`);
    try {
      return await createToken({ secret: this.signingRing(), ttl: options.ttlSeconds, ...options });
    } catch (error) {
      if (error instanceof RangeError) throw new AccessError(400, error.message);
      throw error;
    }
  }

  /** Revokes, for good, and closes the matching open sockets (4403). Returns how many closed. */
  async revoke(target: RevokeTarget): Promise<number> {
    if ('link' in target) {
      const link = await this.store.getLink(target.link);
      if (!link) throw new AccessError(404, 'no such link');
      await this.store.deleteLink(link);
      return this.endSessions({ linkId: link.id }, CloseCode.Forbidden);
    }
    await this.revocations.revoke(target);
    return this.endSessions(
      'jti' in target ? { tokenId: target.jti } : { subject: target.sub },
      CloseCode.Forbidden,
    );
  }

  // --- backups -----------------------------------------------------------------------------

  /** Every link and revocation, for a backup. */
  async *records(): AsyncGenerator<BackupRecord> {
    for await (const link of this.store.allLinks()) yield { type: 'link', link };
    for (const revocation of await this.store.listRevocations()) yield { type: 'revocation', revocation };
  }

  /** Puts back a link or revocation from a backup (the link's room is claimed with it). */
  async restore(record: BackupRecord): Promise<void> {
    if (record.type === 'link') {
      const { link } = record;
      const room = parseRoomId(String(link?.room ?? ''));
      if (
        !room ||
        typeof link.id !== 'string' ||
        typeof link.secretHash !== 'string' ||
        !isAccessScope(link.scope)
      )
        throw new AccessError(400, 'a link record of the backup is malformed');
      await this.store.claimRoom(room);
      await this.store.putLink(link);
    } else {
      await this.revocations.restore(record.revocation);
    }
  }

  // --- internals ---------------------------------------------------------------------------

  /** A token check that no revocation or link change overlapped (see the class comment). */
  private async checkSettled(room: RoomId, token: string): Promise<Session | Refusal> {
    for (let attempt = 1; ; attempt++) {
      const epoch = this.epoch;
      const result = await this.checkToken(room, token);
      if (epoch === this.epoch) return result;
      if (attempt === MAX_CHECKS)
        return { refused: CloseCode.RoomUnavailable, reason: 'access keeps changing' };
    }
  }

  private async checkToken(room: RoomId, token: string): Promise<Session | Refusal> {
    if (!this.keys) return { refused: CloseCode.Unauthorized, reason: 'the server verifies no tokens' };
    const verified = await verifyToken(token, this.keys, {
      clockSkewSeconds: this.settings.clockSkewSeconds,
      maxTtlSeconds: this.settings.maxTokenTtlSeconds,
      maxTokenBytes: this.settings.maxTokenBytes,
    });
    if (isTokenRefusal(verified)) return { refused: verified.code, reason: verified.reason };
    if (!roomMatches(verified.room, room))
      return { refused: CloseCode.Forbidden, reason: 'token is for another room' };
    // Revoked by another process sharing the store: read from it, not only from this one's memory.
    await this.revocations.refresh(verified);
    const revoked = this.revocations.refusalOf(verified);
    if (revoked) return { refused: CloseCode.Forbidden, reason: revoked };
    let scope = verified.scope;
    if (verified.link) {
      const link = await this.store.getLink(verified.link);
      if (!link || link.room !== room) return { refused: CloseCode.Forbidden, reason: 'link revoked' };
      if (link.expiresAt !== null && link.expiresAt <= Date.now())
        return { refused: CloseCode.Unauthorized, reason: 'link expired' };
      // A link lowered to view since the token was made: the link wins.
      if (link.scope === 'read') scope = 'read';
    }
    return {
      room,
      scope,
      subject: verified.sub,
      name: verified.name,
      expiresAt: verified.expiresAt,
      tokenId: verified.jti,
      linkId: verified.link,
    };
  }

  /** Closes the matching sockets here and on every other process sharing the store. */
  private endSessions(match: SessionMatch, code: CloseCode): number {
    this.cluster?.announce({ type: 'sessions-end', match, code });
    return this.endSessionsHere(match, code);
  }

  private endSessionsHere(match: SessionMatch, code: CloseCode): number {
    // In the same turn as the sockets close: checks in flight run again (see checkSettled).
    this.epoch++;
    let closed = 0;
    const matches = (session: Session) => sessionMatches(match, session);
    for (const listener of this.endListeners) closed += listener(matches, code);
    this.logger.info(
      { code, sockets: closed },
      code === CloseCode.PermissionsChanged ? 'auth.changed' : 'auth.revoked',
    );
    return closed;
  }

  private signingRing(): KeyRing {
    if (!this.keys?.signing) throw new AccessError(409, 'the server has no HS256 secret to sign tokens with');
    return this.keys;
  }
}
