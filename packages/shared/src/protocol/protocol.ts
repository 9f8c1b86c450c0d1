import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/*
 * The y-websocket wire protocol, as spoken by the stock `y-websocket` client: one message per
 * binary WebSocket frame, each a varuint message type followed by its body.
 *   sync (0):            varuint sub-type, then varUint8Array payload
 *                        step 1 (0): a state vector; step 2 (1) and update (2): a Yjs update (v1)
 *   awareness (1):       varUint8Array awareness update (y-protocols/awareness)
 *   auth (2):            server to client: varuint 0 (permission denied), varstring reason;
 *                        client to server (Inkroom's extension, never sent by stock clients):
 *                        varuint 1 (token), varstring a fresh access token for the same room
 *   query-awareness (3): no body; asks for every awareness state of the room
 */

export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const;

/** Sub-types of an auth message. */
export const AuthMessageType = {
  PermissionDenied: 0,
  /** A renewed access token, so a live socket outlives the token it opened with. */
  Token: 1,
} as const;

export const SyncMessageType = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const;

/**
 * Why the server closes a socket. Standard codes (1xxx) where one fits; Inkroom's own in the
 * 4000-4999 range reserved for applications, following y-websocket's convention: 4400-4499 mean
 * the client broke a rule (the stock provider stops reconnecting), 4500-4599 mean "try again
 * later" (it reconnects). A close never affects other sockets in the room.
 */
export const CloseCode = {
  /** The client or server ended the session normally. */
  Normal: 1000,
  /** The server is shutting down; clients reconnect to another or the restarted server. */
  GoingAway: 1001,
  /** A text frame: the protocol is binary only. */
  UnsupportedData: 1003,
  /** A frame larger than the server's `maxMessageBytes` (sent by the WebSocket layer itself). */
  MessageTooBig: 1009,
  /** The server hit an unexpected error handling this socket's frame (a bug, logged as such). */
  InternalError: 1011,
  /** A frame that does not decode as a protocol message, or has bytes left over after one. */
  MalformedMessage: 4400,
  /** A message type or sync sub-type the server does not accept from clients. */
  UnknownMessageType: 4402,
  /** No access token, or one that is malformed, badly signed, expired or not yet valid. */
  Unauthorized: 4401,
  /** A valid token that does not open this room, or one that was revoked. */
  Forbidden: 4403,
  /** The room name in the URL is empty, too long or not valid. */
  InvalidRoom: 4404,
  /**
   * The socket kept sending faster than its rate limits (updates, bytes or presence a second)
   * until what was held back passed `maxBufferedBytes`.
   */
  RateExceeded: 4429,
  /** The operator disconnected this socket (admin kick); it may connect again. */
  Kicked: 4409,
  /** The room was deleted: it refuses every connection until the operator undeletes it. */
  RoomDeleted: 4410,
  /** An awareness update larger than `maxAwarenessBytes`, or a socket speaking for too many client ids. */
  AwarenessRejected: 4413,
  /**
   * A Yjs update over the server's cost limits (`maxUpdateStructs`, `maxUpdateClients`,
   * `maxUpdateDeleteRanges`), or one whose delete set is not in the order Yjs writes it; or a
   * socket whose updates took more than its share of the server's time to integrate.
   */
  UpdateTooCostly: 4414,
  /** A Yjs update that does not decode or cannot be applied. */
  InvalidUpdate: 4422,
  /** The room could not be loaded or persisted; it is closed to writes until it loads again. */
  RoomUnavailable: 4500,
  /**
   * The socket's queues passed their limits: it read too slowly (`maxBufferedBytes` waiting to be
   * sent) or sent too much while its room was loading. Reconnecting starts afresh.
   */
  Overloaded: 4503,
  /**
   * Too many connections, or too many new rooms, from this client's address: try again later.
   */
  TooManyFromAddress: 4508,
  /**
   * Updates whose dependencies never arrived piled up past `maxPendingUpdateBytes`; they are
   * dropped. A reconnect resyncs, which sends the server what it lacked.
   */
  TooManyPendingUpdates: 4529,
  /**
   * The socket's permissions changed (its share link was lowered from edit to view): reconnecting
   * opens the room again with the new scope.
   */
  PermissionsChanged: 4511,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** A short reason for each close code (sent as the close frame's reason, at most 123 bytes). */
export const CLOSE_REASONS: Readonly<Record<CloseCode, string>> = {
  [CloseCode.Normal]: 'normal closure',
  [CloseCode.GoingAway]: 'server shutting down',
  [CloseCode.UnsupportedData]: 'binary frames only',
  [CloseCode.MessageTooBig]: 'message too big',
  [CloseCode.InternalError]: 'internal error',
  [CloseCode.MalformedMessage]: 'malformed message',
  [CloseCode.UnknownMessageType]: 'unknown message type',
  [CloseCode.Unauthorized]: 'missing, invalid or expired token',
  [CloseCode.Forbidden]: 'token not valid for this room, or revoked',
  [CloseCode.InvalidRoom]: 'invalid room name',
  [CloseCode.RateExceeded]: 'sending too fast',
  [CloseCode.Kicked]: 'disconnected by the operator',
  [CloseCode.RoomDeleted]: 'room deleted',
  [CloseCode.AwarenessRejected]: 'awareness update rejected',
  [CloseCode.UpdateTooCostly]: 'update over the cost limits',
  [CloseCode.InvalidUpdate]: 'invalid update',
  [CloseCode.RoomUnavailable]: 'room unavailable',
  [CloseCode.Overloaded]: 'socket queue over its limit',
  [CloseCode.TooManyPendingUpdates]: 'too many updates with missing dependencies',
  [CloseCode.TooManyFromAddress]: 'too many connections or new rooms from this address, try later',
  [CloseCode.PermissionsChanged]: 'permissions changed, reconnect',
};

/** A frame that breaks the protocol, with the close code it earns. */
export class ProtocolError extends Error {
  constructor(
    readonly closeCode: CloseCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** A decoded client-to-server message. */
export type IncomingMessage =
  | { readonly type: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly type: 'sync-step2'; readonly update: Uint8Array }
  | { readonly type: 'update'; readonly update: Uint8Array }
  | { readonly type: 'awareness'; readonly update: Uint8Array }
  | { readonly type: 'query-awareness' }
  | { readonly type: 'auth-token'; readonly token: string };

/**
 * Decodes one frame. Throws {@link ProtocolError} for anything that is not exactly one valid
 * message. Payloads are views into `frame`, not copies.
 */
export function decodeMessage(frame: Uint8Array): IncomingMessage {
  const decoder = decoding.createDecoder(frame);
  let message: IncomingMessage;
  try {
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        message = decodeSyncBody(decoder);
        break;
      case MessageType.Awareness:
        message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
        break;
      case MessageType.QueryAwareness:
        message = { type: 'query-awareness' };
        break;
      case MessageType.Auth: {
        const subType = decoding.readVarUint(decoder);
        if (subType !== AuthMessageType.Token)
          throw new ProtocolError(CloseCode.UnknownMessageType, `auth message type ${subType}`);
        message = { type: 'auth-token', token: decoding.readVarString(decoder) };
        break;
      }
      default:
        throw new ProtocolError(CloseCode.UnknownMessageType, `message type ${type}`);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(CloseCode.MalformedMessage, 'truncated frame');
  }
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError(CloseCode.MalformedMessage, 'bytes after the message');
  }
  return message;
}

function decodeSyncBody(decoder: decoding.Decoder): IncomingMessage {
  const subType = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  switch (subType) {
    case SyncMessageType.Step1:
      return { type: 'sync-step1', stateVector: payload };
    case SyncMessageType.Step2:
      return { type: 'sync-step2', update: payload };
    case SyncMessageType.Update:
      return { type: 'update', update: payload };
    default:
      throw new ProtocolError(CloseCode.UnknownMessageType, `sync message type ${subType}`);
  }
}

function syncMessage(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: "here is my state vector, send me what I lack". */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return syncMessage(SyncMessageType.Step1, stateVector);
}

/** Sync step 2: the answer to a step 1, an update holding what the asker lacks. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return syncMessage(SyncMessageType.Step2, update);
}

/** A live document update. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return syncMessage(SyncMessageType.Update, update);
}

/** An awareness update (made by y-protocols' `encodeAwarenessUpdate`). */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A request for every awareness state of the room. */
export function encodeQueryAwareness(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.QueryAwareness);
  return encoding.toUint8Array(encoder);
}

/** Tells a client it may not use the room (y-websocket logs the reason). */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Auth);
  encoding.writeVarUint(encoder, AuthMessageType.PermissionDenied);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** A renewed access token for the socket's room (client to server; Inkroom's extension). */
export function encodeAuthToken(token: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Auth);
  encoding.writeVarUint(encoder, AuthMessageType.Token);
  encoding.writeVarString(encoder, token);
  return encoding.toUint8Array(encoder);
}
