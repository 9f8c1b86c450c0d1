// Hocuspocus with its SQLite extension, as its documentation sets it up.
import { SQLite } from '@hocuspocus/extension-sqlite';
import { Server } from '@hocuspocus/server';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
const server = new Server({
  port,
  address: host,
  quiet: true,
  extensions: [new SQLite({ database: `${process.env.DATA_DIR}/hocuspocus.sqlite` })],
});
await server.listen();
process.stdout.write(`READY ${port}\n`);
process.on('SIGTERM', async () => {
  await server.destroy();
  process.exit(0);
});
