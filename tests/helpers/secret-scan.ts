import { afterAll, expect } from 'vitest';

/*
 * Every log line and every CLI output of a test file is kept here, with every secret its test
 * servers were given, and checked when the file ends: no token, link key or secret may appear
 * in any of them. Tokens are recognised by their shape (a JWT, a link key), so a token a test
 * minted itself is caught too. Registered as a Vitest setup file, so it covers the whole suite.
 */
const outputs: string[] = [];
const secrets = new Set<string>();

/** Output a server or a CLI wrote (a log line, stdout, stderr). */
export function noteOutput(text: string): void {
  outputs.push(text);
}

/** A secret given to a server (signing key, admin token). */
export function noteSecret(secret: string | null | undefined): void {
  if (secret && secret.length >= 16) secrets.add(secret.trim());
}

const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/;
const LINK_KEY = /\b[0-9A-Za-z]{12}\.[\w-]{43}\b/;

afterAll(() => {
  for (const text of outputs) {
    expect(JWT.exec(text)?.[0], 'a token in the output').toBeUndefined();
    expect(LINK_KEY.exec(text)?.[0], 'a link key in the output').toBeUndefined();
    for (const secret of secrets) expect(text.includes(secret), 'a secret in the output').toBe(false);
  }
});
