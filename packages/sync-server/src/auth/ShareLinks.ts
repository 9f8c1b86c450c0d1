import {
  type AccessScope,
  CloseCode,
  isAccessScope,
  type LinkGrant,
  type LinkView,
  parseRoomId,
  type RoomId,
  randomId,
} from '@inkroom/shared';
import type { AuthSettings } from '../config.js';
import { KeyedLock } from '../core/KeyedLock.js';
import type { Refusal, Session, SessionMatch } from '../core/Session.js';
import type { AuthStore, LinkRecord } from '../storage/AuthStore.js';
import { AccessError } from './AccessError.js';
import type { KeyRing } from './keys.js';
import { linkIdOf, linkSecret } from './link-secrets.js';
import { sameSecret, sha256Hex } from './secrets.js';
import { createToken } from './tokens.js';

const LABEL_MAX = 80;
/** Links one room may have, so an owner cannot fill the store. */
const MAX_LINKS_PER_ROOM = 200;
/** The longest a link may be made to last. */
const MAX_LINK_SECONDS = 10 * 365 * 86_400;

/** What share links need of access control. */
export interface ShareLinksDeps {
  store: AuthStore;
  settings: AuthSettings;
  /** The key ring to sign with (throws without an HS256 secret). */
  signingRing: () => KeyRing;
  /** Whether the room store holds anything for a room. */
  roomHasContent: (room: RoomId) => Promise<boolean>;
  /** A token check as sockets get it (revocations, links, expiry). */
  check: (room: RoomId, token: string) => Promise<Session | Refusal>;
  isAdmin: (bearer: string | null) => boolean;
  /** Revokes a link and closes its sockets (4403). */
  revokeLink: (id: string) => Promise<number>;
  /** Closes the open sockets whose sessions match (on every process sharing the store). */
  endSessions: (match: SessionMatch, code: CloseCode) => number;
}

/**
 * Share links (`--auth links`): rooms created with an owner link, view and edit links made,
 * listed, lowered and revoked by it, and link keys exchanged for short-lived tokens. A link's
 * secret is derived from the signing key, never stored: only its SHA-256 is.
 */
export class ShareLinks {
  private readonly roomLocks = new KeyedLock();

  constructor(private readonly deps: ShareLinksDeps) {}

  /**
   * Creates a room with its owner link. `requested` names it: refused with 409 when that room
   * holds anything, or was ever created here (so nobody takes over an existing board); without
   * it the name is random.
   */
  async createRoom(requested?: unknown): Promise<LinkView> {
    if (requested !== undefined && typeof requested !== 'string')
      throw new AccessError(400, 'room must be a string');
    const room = parseRoomId(requested ?? randomId(12));
    if (!room) throw new AccessError(400, 'invalid room name');
    return this.roomLocks.run(room, async () => {
      if ((await this.deps.store.isClaimed(room)) || (await this.deps.roomHasContent(room)))
        throw new AccessError(409, 'that room exists already');
      await this.deps.store.claimRoom(room);
      return this.addLink(room, { scope: 'write', owner: true, label: 'Owner', expiresAt: null });
    });
  }

  async createLink(
    roomName: string,
    options: { scope?: unknown; label?: unknown; expiresInSeconds?: unknown },
  ): Promise<LinkView> {
    const room = this.room(roomName);
    if (!isAccessScope(options.scope)) throw new AccessError(400, 'scope must be "read" or "write"');
    const scope = options.scope;
    const label = options.label ?? '';
    if (typeof label !== 'string' || label.length > LABEL_MAX)
      throw new AccessError(400, `label must be text of at most ${LABEL_MAX} characters`);
    let expiresAt: number | null = null;
    if (options.expiresInSeconds !== undefined && options.expiresInSeconds !== null) {
      const seconds = options.expiresInSeconds;
      if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= MAX_LINK_SECONDS))
        throw new AccessError(400, `expiresInSeconds must be a number from 1 to ${MAX_LINK_SECONDS}`);
      expiresAt = Date.now() + Math.round(seconds * 1000);
    }
    return this.roomLocks.run(room, async () => {
      if ((await this.deps.store.listLinks(room)).length >= MAX_LINKS_PER_ROOM)
        throw new AccessError(409, `a room has at most ${MAX_LINKS_PER_ROOM} links: revoke some first`);
      return this.addLink(room, { scope, owner: false, label, expiresAt });
    });
  }

  async listLinks(roomName: string): Promise<LinkView[]> {
    const links = await this.deps.store.listLinks(this.room(roomName));
    return links.sort((a, b) => a.createdAt - b.createdAt).map((link) => this.view(link));
  }

  /** Changes a link's scope; its open sockets reconnect (4511) and get the new one. */
  async updateLink(roomName: string, id: string, change: { scope: unknown }): Promise<LinkView> {
    const link = await this.linkOf(roomName, id);
    if (!isAccessScope(change.scope)) throw new AccessError(400, 'scope must be "read" or "write"');
    if (link.owner) throw new AccessError(400, "an owner link's scope cannot change");
    const updated = { ...link, scope: change.scope };
    await this.deps.store.putLink(updated);
    if (updated.scope !== link.scope) this.deps.endSessions({ linkId: id }, CloseCode.PermissionsChanged);
    return this.view(updated);
  }

  /** Revokes a room's link. Its owner link stays (only the admin API revokes one). */
  async deleteLink(roomName: string, id: string): Promise<void> {
    const link = await this.linkOf(roomName, id);
    if (link.owner) throw new AccessError(400, 'the owner link cannot be revoked here (the admin can)');
    await this.deps.revokeLink(id);
  }

  /** Exchanges a link's secret for a short-lived token to its room. */
  async exchange(roomName: string, secret: unknown): Promise<LinkGrant> {
    const room = this.room(roomName);
    if (typeof secret !== 'string' || secret.length === 0) throw new AccessError(400, 'a link key is needed');
    if (secret.length > 200) throw new AccessError(403, 'this is not a link key of this room');
    const id = linkIdOf(secret);
    const link = id ? await this.deps.store.getLink(id) : null;
    if (!link || link.room !== room || !sameSecret(sha256Hex(secret), link.secretHash))
      throw new AccessError(403, 'this link does not open this room (it may have been revoked)');
    const now = Date.now();
    const untilExpiry = link.expiresAt === null ? Number.POSITIVE_INFINITY : (link.expiresAt - now) / 1000;
    const ttl = Math.floor(
      Math.min(this.deps.settings.linkTokenTtlSeconds, this.deps.settings.maxTokenTtlSeconds, untilExpiry),
    );
    if (ttl < 1) throw new AccessError(403, 'this link has expired');
    const { token, expiresAt } = await createToken({
      secret: this.deps.signingRing(),
      room,
      scope: link.scope,
      ttl,
      link: link.id,
    });
    return { room, token, expiresAt, scope: link.scope, owner: link.owner };
  }

  /** Whether `bearer` may manage `roomName`'s links: its owner link's token, or the admin token. */
  async canManage(roomName: string, bearer: string | null): Promise<boolean> {
    if (this.deps.isAdmin(bearer)) return true;
    const room = parseRoomId(roomName);
    if (!bearer || !room) return false;
    const result = await this.deps.check(room, bearer);
    if ('refused' in result || !result.linkId) return false;
    const link = await this.deps.store.getLink(result.linkId);
    return link?.owner === true && link.room === room;
  }

  private signingKey(): Uint8Array {
    const key = this.deps.signingRing().signing!.key;
    if (!(key instanceof Uint8Array)) throw new AccessError(409, 'share links need an HS256 secret');
    return key;
  }

  private room(roomName: string): RoomId {
    const room = parseRoomId(roomName);
    if (!room) throw new AccessError(400, 'invalid room name');
    return room;
  }

  private async linkOf(roomName: string, id: string): Promise<LinkRecord> {
    const room = this.room(roomName);
    const link = await this.deps.store.getLink(id);
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
      secretHash: sha256Hex(linkSecret(this.signingKey(), room, id)),
    };
    await this.deps.store.putLink(link);
    return this.view(link);
  }

  private view(link: LinkRecord): LinkView {
    const { secretHash, ...rest } = link;
    const secret = linkSecret(this.signingKey(), link.room, link.id);
    return { ...rest, secret: sha256Hex(secret) === secretHash ? secret : null };
  }
}
