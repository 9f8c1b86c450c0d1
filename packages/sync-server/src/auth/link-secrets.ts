import type { RoomId } from '@inkroom/shared';
import { hmac } from './secrets.js';

/**
 * A share link's secret: `<id>.<HMAC(link key, room and id)>`, the link key being an HMAC of the
 * signing secret. It is never stored (only its SHA-256 is), yet the link's managers can copy it
 * again. Whoever holds the signing secret can derive every link's secret: keep it outside the
 * data folder (`--auth-secret-file`) so a copy of the data alone reveals none.
 */
export function linkSecret(signingKey: Uint8Array, room: RoomId, id: string): string {
  const linkKey = Buffer.from(hmac(signingKey, 'inkroom link key'), 'base64url');
  return `${id}.${hmac(linkKey, `${room}\u0000${id}`)}`;
}

/** The link id a secret names, or null when it cannot be one. */
export function linkIdOf(secret: string): string | null {
  const id = secret.split('.')[0] ?? '';
  return /^[0-9A-Za-z]{1,40}$/.test(id) ? id : null;
}
