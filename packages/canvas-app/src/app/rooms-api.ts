import type { AccessScope, AuthInfo, LinkGrant, LinkView } from '@inkroom/shared';

/** A refused API call, with the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function call<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const { token, ...rest } = init;
  const res = await fetch(path, {
    ...rest,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as T & { error?: string }) : ({} as T & { error?: string });
  if (!res.ok) throw new ApiError(res.status, body.error ?? `the server answered ${res.status}`);
  return body;
}

const roomPath = (room: string) => `/api/rooms/${encodeURIComponent(room)}`;

export const roomsApi = {
  authInfo: () => call<AuthInfo>('/api/auth'),
  createRoom: () => call<{ room: string; link: LinkView }>('/api/rooms', { method: 'POST' }),
  exchange: (room: string, key: string) =>
    call<LinkGrant>(`${roomPath(room)}/session`, { method: 'POST', body: JSON.stringify({ key }) }),
  listLinks: (room: string, token: string) =>
    call<{ links: LinkView[] }>(`${roomPath(room)}/links`, { token }).then((body) => body.links),
  createLink: (
    room: string,
    token: string,
    link: { scope: AccessScope; label: string; expiresInSeconds: number | null },
  ) => call<LinkView>(`${roomPath(room)}/links`, { method: 'POST', token, body: JSON.stringify(link) }),
  updateLink: (room: string, token: string, id: string, scope: AccessScope) =>
    call<LinkView>(`${roomPath(room)}/links/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      token,
      body: JSON.stringify({ scope }),
    }),
  deleteLink: (room: string, token: string, id: string) =>
    call<unknown>(`${roomPath(room)}/links/${encodeURIComponent(id)}`, { method: 'DELETE', token }),
};

/** The page address that opens `room` with a link's secret (kept in the fragment, never sent). */
export function linkUrl(room: string, secret: string, origin = location.origin): string {
  return `${origin}/r/${encodeURIComponent(room)}#k=${secret}`;
}

/** The link key in a page's fragment (`#k=<secret>`), or null. */
export function keyFromHash(hash: string): string | null {
  const key = new URLSearchParams(hash.replace(/^#/, '')).get('k');
  return key && key.length > 0 ? key : null;
}
