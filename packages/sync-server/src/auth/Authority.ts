import {
  type AccessScope,
  CloseCode,
  isAccessScope,
  type LinkGrant,
  type LinkView,
  parseRoomId,
  type RoomId,
  randomId,
  roomMatches,
} from '@inkroom/shared';
import type { AuthMode, AuthSettings, RoomCreators } from '../config.js';
import {
  type Authorize,
  type ConnectionRequest,
  openSession,
  type Refusal,
  type Session,
} from '../core/Session.js';
import type { Logger } from '../logger.js';
import type { AuthStore, LinkRecord, Revocation } from '../storage/AuthStore.js';
import { KeyRing } from './keys.js';
import { hmac, sameSecret, sha256Hex } from './secrets.js';
import { type CreatedToken, createToken, isRefusal, type VerifiedToken, verifyToken } from './tokens.js';

/** What to revoke: one token, one share link, or every token of one person. */
export type RevokeTarget = { jti: string } | { link: string } | { sub: string };

/** Open sockets whose sessions match must close with `code`. */
export type SessionsEnd = (matches: (session: Session) => boolean, code: CloseCode) => number;

/** A request that fails with an HTTP status and a message safe to show. */
export class AccessError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

const LABEL_MAX = 80;
/** Links one room may have, so an owner cannot fill the store. */
const MAX_LINKS_PER_ROOM = 200;

/**
 * Access control: verifies tokens for sockets and HTTP reads, keeps share links and revocations,
 * and tells the core which open sockets must go when something is revoked or changed.
 */
export class Authority {
  private readonly revokedTokens = new Map<string, Revocation>();
  private readonly revokedSubjects = new Map<string, Revocation>();
  private readonly endListeners = new Set<SessionsEnd>();

  private constructor(
    private readonly settings: AuthSettings,
    private readonly keys: KeyRing | null,
    private readonly store: AuthStore,
    private readonly logger: Logger,
  ) {}

  /** Reads the key ring and the revocations. Throws a KeyRingError for an unusable secret. */
  static async create(settings: AuthSettings, store: AuthStore, logger: Logger): Promise<Authority> {
    const keys = settings.authSecret ? await KeyRing.parse(settings.authSecret) : null;
    if (settings.auth !== 'off' && !keys)
      throw new Error(
        `--auth ${settings.auth} needs a signing key: --auth-secret-file or INKROOM_AUTH_SECRET`,
      );
    if (settings.auth === 'links' && !keys?.signing)
      throw new Error('--auth links needs an HS256 secret to sign tokens with, not only public keys');
    const authority = new Authority(settings, keys, store, logger);
    const now = Date.now();
    for (const revocation of await store.listRevocations()) {
      if (revocation.until !== null && revocation.until < now) await store.deleteRevocation(revocation);
      else authority.remember(revocation);
    }
    return authority;
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
    return this.checkToken(room, token);
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
    if (!this.keys?.signing) throw new AccessError(409, 'the server has no HS256 secret to sign tokens with');
    if (options.ttlSeconds > this.settings.maxTokenTtlSeconds)
      throw new AccessError(400, `ttl is longer than the server's --max-token-ttl`);
    return createToken({ secret: this.keys, ttl: options.ttlSeconds, ...options });
  }

  /** Revokes, for good, and closes the matching open sockets (4403). Returns how many closed. */
  async revoke(target: RevokeTarget): Promise<number> {
    const now = Date.now();
    if ('link' in target) {
      const link = await this.store.getLink(target.link);
      if (!link) throw new AccessError(404, 'no such link');
      await this.store.deleteLink(link);
      return this.endSessions((session) => session.linkId === link.id, CloseCode.Forbidden);
    }
    const revocation: Revocation =
      'jti' in target
        ? // A token is kept revoked until it could no longer be used anyway.
          { kind: 'jti', value: target.jti, at: now, until: now + this.settings.maxTokenTtlSeconds * 1000 }
        : { kind: 'sub', value: target.sub, at: now, until: null };
    await this.store.putRevocation(revocation);
    this.remember(revocation);
    return this.endSessions(
      'jti' in target
        ? (session) => session.tokenId === target.jti
        : (session) => session.subject === target.sub,
      CloseCode.Forbidden,
    );
  }

  // --- share links -------------------------------------------------------------------------

  /**
   * Creates a room with its owner link. `requested` names it (refused with 409 when the room
   * already has links); otherwise the name is random.
   */
  async createRoom(requested?: string): Promise<LinkView> {
    const room = parseRoomId(requested ?? randomId(12));
    if (!room) throw new AccessError(400, 'invalid room name');
    if (requested !== undefined && (await this.store.listLinks(room)).length > 0)
      throw new AccessError(409, 'that room exists already');
    return this.addLink(room, { scope: 'write', owner: true, label: 'Owner', expiresAt: null });
  }

  async createLink(
    roomName: string,
    options: { scope?: unknown; label?: unknown; expiresInSeconds?: unknown },
  ): Promise<LinkView> {
    const room = this.room(roomName);
    if (!isAccessScope(options.scope)) throw new AccessError(400, 'scope must be "read" or "write"');
    const label = options.label ?? '';
    if (typeof label !== 'string' || label.length > LABEL_MAX)
      throw new AccessError(400, `label must be text of at most ${LABEL_MAX} characters`);
    let expiresAt: number | null = null;
    if (options.expiresInSeconds !== undefined && options.expiresInSeconds !== null) {
      const seconds = options.expiresInSeconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)
        throw new AccessError(400, 'expiresInSeconds must be a positive number');
      expiresAt = Date.now() + seconds * 1000;
    }
    if ((await this.store.listLinks(room)).length >= MAX_LINKS_PER_ROOM)
      throw new AccessError(409, `a room has at most ${MAX_LINKS_PER_ROOM} links: revoke some first`);
    return this.addLink(room, { scope: options.scope, owner: false, label, expiresAt });
  }

  async listLinks(roomName: string): Promise<LinkView[]> {
    const links = await this.store.listLinks(this.room(roomName));
    return links.sort((a, b) => a.createdAt - b.createdAt).map((link) => this.view(link));
  }

  /** Changes a link's scope; its open sockets reconnect (4511) and get the new one. */
  async updateLink(roomName: string, id: string, change: { scope: unknown }): Promise<LinkView> {
    const link = await this.linkOf(roomName, id);
    if (!isAccessScope(change.scope)) throw new AccessError(400, 'scope must be "read" or "write"');
    if (link.owner) throw new AccessError(400, "an owner link's scope cannot change");
    const updated = { ...link, scope: change.scope };
    await this.store.putLink(updated);
    if (updated.scope !== link.scope)
      this.endSessions((session) => session.linkId === id, CloseCode.PermissionsChanged);
    return this.view(updated);
  }

  async deleteLink(roomName: string, id: string): Promise<void> {
    await this.linkOf(roomName, id);
    await this.revoke({ link: id });
  }

  /** Exchanges a link's secret for a short-lived token to its room. */
  async exchange(roomName: string, secret: unknown): Promise<LinkGrant> {
    const room = this.room(roomName);
    if (typeof secret !== 'string' || secret.length > 200) throw new AccessError(400, 'a link key is needed');
    const id = secret.split('.')[0] ?? '';
    const link = /^[0-9A-Za-z]{1,40}$/.test(id) ? await this.store.getLink(id) : null;
    if (!link || link.room !== room || !sameSecret(sha256Hex(secret), link.secretHash))
      throw new AccessError(403, 'this link does not open this room (it may have been revoked)');
    const now = Date.now();
    if (link.expiresAt !== null && link.expiresAt <= now) throw new AccessError(403, 'this link has expired');
    const ttl = Math.min(
      this.settings.linkTokenTtlSeconds,
      link.expiresAt === null ? Number.POSITIVE_INFINITY : Math.floor((link.expiresAt - now) / 1000),
    );
    if (ttl < 1) throw new AccessError(403, 'this link has expired');
    const { token, expiresAt } = await createToken({
      secret: this.keys!,
      room,
      scope: link.scope,
      ttl,
      link: link.id,
    });
    return { room, token, expiresAt, scope: link.scope, owner: link.owner };
  }

  /** Whether `bearer` may manage `roomName`'s links: its owner link's token, or the admin token. */
  async canManage(roomName: string, bearer: string | null): Promise<boolean> {
    if (this.isAdmin(bearer)) return true;
    if (!bearer || !this.keys) return false;
    const room = parseRoomId(roomName);
    if (!room) return false;
    const result = await this.checkToken(room, bearer);
    if ('refused' in result || !result.linkId) return false;
    const link = await this.store.getLink(result.linkId);
    return link?.owner === true && link.room === room;
  }

  // --- internals ---------------------------------------------------------------------------

  private async checkToken(room: RoomId, token: string): Promise<Session | Refusal> {
    if (!this.keys) return { refused: CloseCode.Unauthorized, reason: 'the server verifies no tokens' };
    const verified = await verifyToken(token, this.keys, {
      clockSkewSeconds: this.settings.clockSkewSeconds,
      maxTtlSeconds: this.settings.maxTokenTtlSeconds,
      maxTokenBytes: this.settings.maxTokenBytes,
    });
    if (isRefusal(verified)) return { refused: verified.code, reason: verified.reason };
    if (!roomMatches(verified.room, room))
      return { refused: CloseCode.Forbidden, reason: 'token is for another room' };
    const revoked = this.revocationOf(verified);
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

  private revocationOf(token: VerifiedToken): string | null {
    if (token.jti && this.revokedTokens.has(token.jti)) return 'token revoked';
    const subject = token.sub === null ? undefined : this.revokedSubjects.get(token.sub);
    // Every token of a revoked person issued up to the revocation (iat has one-second steps).
    if (subject && token.issuedAt <= subject.at) return 'person revoked';
    return null;
  }

  private remember(revocation: Revocation): void {
    const map = revocation.kind === 'jti' ? this.revokedTokens : this.revokedSubjects;
    const known = map.get(revocation.value);
    if (!known || known.at < revocation.at) map.set(revocation.value, revocation);
  }

  private endSessions(matches: (session: Session) => boolean, code: CloseCode): number {
    let closed = 0;
    for (const listener of this.endListeners) closed += listener(matches, code);
    this.logger.info({ code, sockets: closed }, 'auth.revoked');
    return closed;
  }

  private room(roomName: string): RoomId {
    const room = parseRoomId(roomName);
    if (!room) throw new AccessError(400, 'invalid room name');
    return room;
  }

  private async linkOf(roomName: string, id: string): Promise<LinkRecord> {
    const room = this.room(roomName);
    const link = await this.store.getLink(id);
    if (!link || link.room !== room) throw new AccessError(404, 'no such link');
    return link;
  }

  private async addLink(
    room: RoomId,
    options: { scope: AccessScope; owner: boolean; label: string; expiresAt: number | null },
  ): Promise<LinkView> {
    const id = randomId(12);
    const link: LinkRecord = {
      id,
      room,
      ...options,
      createdAt: Date.now(),
      secretHash: sha256Hex(this.secretOf(room, id)),
    };
    await this.store.putLink(link);
    return this.view(link);
  }

  /**
   * A link's secret, derived from the signing key, so it is never stored yet its managers can
   * copy it again: `<id>.<HMAC(link key, room and id)>`.
   */
  private secretOf(room: RoomId, id: string): string {
    const signing = this.keys?.signing;
    if (!signing || !(signing.key instanceof Uint8Array))
      throw new AccessError(409, 'share links need an HS256 secret');
    const linkKey = Buffer.from(hmac(signing.key, 'inkroom link key'), 'base64url');
    return `${id}.${hmac(linkKey, `${room}\u0000${id}`)}`;
  }

  private view(link: LinkRecord): LinkView {
    const { secretHash, ...rest } = link;
    const secret = this.secretOf(link.room, link.id);
    return { ...rest, secret: sha256Hex(secret) === secretHash ? secret : null };
  }
}
