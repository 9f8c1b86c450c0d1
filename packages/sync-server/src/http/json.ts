import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessError } from '../auth/AccessError.js';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** Largest JSON body the API reads. */
const MAX_JSON_BYTES = 64 * 1024;

/** Reads a JSON object body (an empty body reads as `{}`); throws an AccessError (400, 413) otherwise. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_JSON_BYTES);
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new AccessError(400, 'the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new AccessError(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Reads a raw body of at most `limit` bytes; throws an AccessError (413) past it. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AccessError(413, `the body is over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
