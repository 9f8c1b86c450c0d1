import { encodeSyncStep1, encodeUpdate } from '@inkroom/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The two wire dialects under test: y-websocket (room in the URL path, bare messages) and
 * Hocuspocus (one endpoint, every message prefixed with the document name, auth first).
 */
export type Dialect = 'y-websocket' | 'hocuspocus';

export interface Wire {
  url(base: string, room: string): string;
  /** Frames to send right after the socket opens (what a real provider sends first). */
  hello(room: string): Uint8Array[];
  update(room: string, update: Uint8Array): Uint8Array;
  syncStep1(room: string, stateVector: Uint8Array): Uint8Array;
  /** The Yjs update a received frame carries (sync step 2 or update), or null. */
  readUpdate(frame: Uint8Array): { update: Uint8Array; step2: boolean } | null;
}

function prefixed(room: string, message: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, room);
  encoding.writeUint8Array(encoder, message);
  return encoding.toUint8Array(encoder);
}

function readSync(decoder: decoding.Decoder): { update: Uint8Array; step2: boolean } | null {
  if (decoding.readVarUint(decoder) !== 0) return null;
  const sub = decoding.readVarUint(decoder);
  if (sub !== 1 && sub !== 2) return null;
  return { update: decoding.readVarUint8Array(decoder), step2: sub === 1 };
}

const EMPTY_STATE_VECTOR = new Uint8Array([0]);

export const WIRES: Record<Dialect, Wire> = {
  'y-websocket': {
    url: (base, room) => `${base}/${room}`,
    hello: () => [encodeSyncStep1(EMPTY_STATE_VECTOR)],
    update: (_room, update) => encodeUpdate(update),
    syncStep1: (_room, sv) => encodeSyncStep1(sv),
    readUpdate: (frame) => readSync(decoding.createDecoder(frame)),
  },
  hocuspocus: {
    url: (base) => base,
    hello: (room) => {
      const auth = encoding.createEncoder();
      encoding.writeVarUint(auth, 2); // auth message
      encoding.writeVarUint(auth, 0); // token
      encoding.writeVarString(auth, 'bench');
      return [
        prefixed(room, encoding.toUint8Array(auth)),
        prefixed(room, encodeSyncStep1(EMPTY_STATE_VECTOR)),
      ];
    },
    update: (room, update) => prefixed(room, encodeUpdate(update)),
    syncStep1: (room, sv) => prefixed(room, encodeSyncStep1(sv)),
    readUpdate: (frame) => {
      const decoder = decoding.createDecoder(frame);
      decoding.readVarString(decoder);
      return readSync(decoder);
    },
  },
};
