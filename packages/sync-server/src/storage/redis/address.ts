/** Where a Redis URL points, without its credentials (for messages and logs). */
export function redisAddress(url: string): string {
  const { protocol, hostname, port, pathname } = new URL(url);
  return `${protocol}//${hostname}:${port || 6379}${pathname === '/' ? '' : pathname}`;
}
