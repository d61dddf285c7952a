/**
 * A local TCP port that was free a moment ago (the OS hands out a fresh one for port 0). For a service that
 * must know its port before it listens: QWC files name the URL, so PORT=0 cannot go into them.
 */
import net from 'node:net';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
