import { addElement, getElement, listElements, setElementField } from '@inkroom/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Client, connectClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('sync between stock y-websocket clients', () => {
  let t: TestServer;
  const clients: Client[] = [];
  const client = (room: string, params?: Record<string, string>) => {
    const c = connectClient(t.wsUrl, room, params ? { params } : {});
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await t.cleanup();
  });

  it('two clients converge on each other’s edits', async () => {
    const a = client('board-1');
    const b = client('board-1');
    await Promise.all([a.synced, b.synced]);
    const rect = addElement(a.doc, { kind: 'rectangle', x: 10, y: 20, width: 100, height: 50 });
    const note = addElement(b.doc, { kind: 'sticky', text: 'hello', x: 300 });
    await waitFor(
      () => getElement(b.doc, rect) !== null && getElement(a.doc, note) !== null,
      'both elements',
    );
    setElementField(a.doc, note, 'x', 400);
    setElementField(b.doc, rect, 'strokeColor', '#e03131');
    await waitFor(
      () => getElement(b.doc, note)?.x === 400 && getElement(a.doc, rect)?.strokeColor === '#e03131',
      'concurrent field edits',
    );
    expect(listElements(a.doc)).toEqual(listElements(b.doc));
  });

  it('a late joiner receives the whole board', async () => {
    const a = client('board-2');
    await a.synced;
    for (let i = 0; i < 50; i++) addElement(a.doc, { kind: 'ellipse', x: i * 10 });
    const b = client('board-2');
    await b.synced;
    await waitFor(() => listElements(b.doc).length === 50, '50 elements at the late joiner');
  });

  it('keeps rooms apart, and the query string is not part of the room', async () => {
    const a = client('room-a');
    const aWithToken = client('room-a', { token: 'abc', v: '1' });
    const other = client('room-b');
    await Promise.all([a.synced, aWithToken.synced, other.synced]);
    addElement(a.doc, { kind: 'text', text: 'only in room-a' });
    await waitFor(() => listElements(aWithToken.doc).length === 1, 'same room despite the query string');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listElements(other.doc)).toHaveLength(0);
  });

  it('decodes percent-encoded room names', async () => {
    const a = client('team plan/ünïcode');
    const b = client(encodeURIComponent('team plan/ünïcode'));
    await Promise.all([a.synced, b.synced]);
    addElement(a.doc, { kind: 'ellipse' });
    await waitFor(() => listElements(b.doc).length === 1, 'the element in the same room');
  });
});
