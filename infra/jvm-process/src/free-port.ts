import { createServer } from 'node:net';

/** Asks the OS for a free port on 127.0.0.1. Another process could take it before we bind it; the
 * broker then fails fast with "Address already in use" in broker.log. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

/** Two ports (a server's and its controller's or management port): each the given one, or (0 /
 * undefined) a free one, and never the same twice. */
export async function twoPorts(first?: number, second?: number): Promise<[number, number]> {
  const a = first || (await freePort());
  let b = second || (await freePort());
  while (b === a) b = await freePort();
  return [a, b];
}
