import type { AccessScope, RoomId } from '@inkroom/shared';

/** A share link of a room. Its secret is never stored: only its SHA-256. */
export interface LinkRecord {
  readonly id: string;
  readonly room: RoomId;
  readonly scope: AccessScope;
  /** An owner link manages the room's links (and writes). */
  readonly owner: boolean;
  readonly label: string;
  readonly createdAt: number;
  /** Milliseconds since the epoch, or null for a link that does not expire. */
  readonly expiresAt: number | null;
  /** Hex SHA-256 of the link's secret. */
  readonly secretHash: string;
}

/** A revoked token (`jti`, kept until it would have expired) or person (`sub`: every token issued before `at`). */
export interface Revocation {
  readonly kind: 'jti' | 'sub';
  readonly value: string;
  readonly at: number;
  /** When the record can be forgotten (a token's own expiry); null: never. */
  readonly until: number | null;
}

/**
 * Where access control keeps its records: share links and revocations. LevelDB is one
 * implementation (`LevelAuthStore`); another backend only has to implement this.
 */
export interface AuthStore {
  putLink(link: LinkRecord): Promise<void>;
  getLink(id: string): Promise<LinkRecord | null>;
  listLinks(room: RoomId): Promise<LinkRecord[]>;
  /** Every link of every room (backups). */
  allLinks(): AsyncIterable<LinkRecord>;
  deleteLink(link: LinkRecord): Promise<void>;
  /**
   * Marks a room as created through links (`POST /api/rooms`), for good: a named room can be
   * created once, so nobody takes over a board whose links were all revoked.
   */
  claimRoom(room: RoomId): Promise<void>;
  isClaimed(room: RoomId): Promise<boolean>;
  putRevocation(revocation: Revocation): Promise<void>;
  listRevocations(): Promise<Revocation[]>;
  deleteRevocation(revocation: Revocation): Promise<void>;
  /**
   * A store several processes share (Redis): the revocations of a token id and a person, as
   * stored now. Absent: this process wrote every revocation it holds, and keeps them in memory.
   */
  revocationsOf?(jti: string | null, sub: string | null): Promise<Revocation[]>;
}
