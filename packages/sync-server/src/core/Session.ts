import { type AccessScope, CloseCode, type RoomId } from '@inkroom/shared';

/**
 * What one socket may do, decided once before it joins a room by the server's `authorize` step
 * (and again when it renews its token in-band). The core enforces it; it never reads tokens.
 */
export interface Session {
  room: RoomId;
  scope: AccessScope;
  /** Who it is (a token's `sub`), for revocation by subject and for logs. */
  subject: string | null;
  /** The name the token gives this person; their presence shows it whatever they send. */
  name: string | null;
  /** When access ends (ms since the epoch): the socket is closed with 4401 then. Null: never. */
  expiresAt: number | null;
  /** The token's `jti`, for revocation. */
  tokenId: string | null;
  /** The share link the token came from, for revocation and scope changes. */
  linkId: string | null;
}

/**
 * Which open sessions something applies to (a revoked token, link or person, a kicked room), as
 * data: other server processes sharing the rooms are told it too.
 */
export type SessionMatch =
  | { readonly tokenId: string }
  | { readonly linkId: string }
  | { readonly subject: string }
  | { readonly room: RoomId };

/** Whether `session` is one `match` names. */
export function sessionMatches(match: SessionMatch, session: Session): boolean {
  if ('tokenId' in match) return session.tokenId === match.tokenId;
  if ('linkId' in match) return session.linkId === match.linkId;
  if ('subject' in match) return session.subject === match.subject;
  return session.room === match.room;
}

/** What the server knows of a socket before it is let in. */
export interface ConnectionRequest {
  /** The URL path after `/`, percent-decoded. */
  roomName: string;
  /** The access token it presented (query or subprotocol), or null. */
  token: string | null;
  /** The client's address (for per-address limits); '' when unknown. */
  address?: string;
}

/** A socket that may not join, with the close code (4401, 4403, 4404...) and a reason to log. */
export interface Refusal {
  refused: CloseCode;
  reason: string;
}

/** The auth seam: turns a connection request into a session, or refuses it. */
export type Authorize = (request: ConnectionRequest) => Promise<Session | Refusal> | Session | Refusal;

export function isRefusal(result: Session | Refusal): result is Refusal {
  return 'refused' in result;
}

/** No access control: every valid room name opens for writing, for as long as the socket lives. */
export function openSession(room: RoomId): Session {
  return { room, scope: 'write', subject: null, name: null, expiresAt: null, tokenId: null, linkId: null };
}

/** A refusal as one of a few fixed words, for a metric's label (reasons themselves vary). */
export function denialKind(refusal: Refusal): string {
  const reason = refusal.reason;
  switch (refusal.refused) {
    case CloseCode.Unauthorized:
      if (reason === 'no token') return 'missing';
      if (/expired/.test(reason)) return 'expired';
      if (/not yet valid/.test(reason)) return 'not_yet_valid';
      if (/signature/.test(reason)) return 'bad_signature';
      return 'invalid';
    case CloseCode.Forbidden:
      return /revoked/.test(reason) ? 'revoked' : 'wrong_room';
    case CloseCode.InvalidRoom:
      return 'invalid_room';
    default:
      return 'error';
  }
}
