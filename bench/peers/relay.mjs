// The practical upper bound: forwards each frame to the room's other sockets. No CRDT, no storage.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
const rooms = new Map();
const http = createServer((_req, res) => res.end('relay'));
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const name = (req.url ?? '/').split('?')[0];
  let room = rooms.get(name);
  if (!room) {
    room = new Set();
    rooms.set(name, room);
  }
  room.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const peer of room) if (peer !== ws) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => {
    room.delete(ws);
    if (room.size === 0) rooms.delete(name);
  });
  ws.on('error', () => {});
});
http.listen(port, host, () => process.stdout.write(`READY ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
