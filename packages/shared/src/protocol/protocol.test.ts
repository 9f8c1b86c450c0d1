import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  CLOSE_REASONS,
  CloseCode,
  decodeMessage,
  encodeAuthToken,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  ProtocolError,
} from './protocol.js';

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function closeCodeOf(bytes: Uint8Array): number | undefined {
  try {
    decodeMessage(bytes);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).closeCode;
  }
}

describe('wire protocol', () => {
  const doc = new Y.Doc();
  doc.getMap('m').set('k', 'v');

  it('reads what y-protocols writes', () => {
    const step1 = frame((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, doc);
    });
    expect(decodeMessage(step1)).toEqual({ type: 'sync-step1', stateVector: Y.encodeStateVector(doc) });
    const update = frame((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc));
    });
    expect(decodeMessage(update)).toEqual({ type: 'update', update: Y.encodeStateAsUpdate(doc) });
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ name: 'Ada' });
    const aw = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const message = frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, aw);
    });
    expect(decodeMessage(message)).toEqual({ type: 'awareness', update: aw });
    expect(decodeMessage(new Uint8Array([3]))).toEqual({ type: 'query-awareness' });
    awareness.destroy();
  });

  it('writes what y-protocols reads', () => {
    const target = new Y.Doc();
    const reply = encoding.createEncoder();
    const read = (bytes: Uint8Array) => {
      const decoder = decoding.createDecoder(bytes);
      expect(decoding.readVarUint(decoder)).toBe(0);
      return syncProtocol.readSyncMessage(decoder, reply, target, null);
    };
    expect(read(encodeSyncStep1(Y.encodeStateVector(target)))).toBe(syncProtocol.messageYjsSyncStep1);
    expect(read(encodeSyncStep2(Y.encodeStateAsUpdate(doc)))).toBe(syncProtocol.messageYjsSyncStep2);
    expect(target.getMap('m').get('k')).toBe('v');
    expect(read(encodeUpdate(Y.encodeStateAsUpdate(doc)))).toBe(syncProtocol.messageYjsUpdate);
  });

  it("reads Inkroom's in-band token renewal, and writes it back", () => {
    expect(decodeMessage(encodeAuthToken('a.b.c'))).toEqual({ type: 'auth-token', token: 'a.b.c' });
    // The permission-denied sub-type is the server's to send, not a client's.
    expect(closeCodeOf(encodePermissionDenied('no'))).toBe(CloseCode.UnknownMessageType);
  });

  it('names each bad frame with its close code', () => {
    expect(closeCodeOf(new Uint8Array([]))).toBe(CloseCode.MalformedMessage);
    expect(closeCodeOf(new Uint8Array([0, 2, 50, 1]))).toBe(CloseCode.MalformedMessage);
    expect(closeCodeOf(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(
      CloseCode.MalformedMessage,
    );
    expect(closeCodeOf(new Uint8Array([3, 0]))).toBe(CloseCode.MalformedMessage);
    expect(closeCodeOf(new Uint8Array([7]))).toBe(CloseCode.UnknownMessageType);
    expect(closeCodeOf(new Uint8Array([2, 0]))).toBe(CloseCode.UnknownMessageType);
    expect(closeCodeOf(new Uint8Array([0, 9, 0]))).toBe(CloseCode.UnknownMessageType);
  });

  it('has a reason for every close code, short enough for a close frame', () => {
    for (const code of Object.values(CloseCode)) {
      expect(CLOSE_REASONS[code].length).toBeGreaterThan(0);
      expect(new TextEncoder().encode(CLOSE_REASONS[code]).length).toBeLessThanOrEqual(123);
    }
  });
});
