// The registry client's bound on the library's calls, which have no timeout of their own: a
// registration the registry leaves unanswered (seen with Apicurio: the connection open, nothing
// sent back, the start of the all-in-one hung for good) is asked again, and past the attempts the
// start fails as "unreachable" instead of waiting forever. The registry here is a loopback HTTP
// server that answers the calls the library makes as a Confluent-compatible registry does, except
// for the registrations it is told to leave unanswered.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from './registry-client.ts';

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';
const schema = { type: 'record', name: 'Reading', fields: [{ name: 'value', type: 'double' }] };

async function registryLeavingUnanswered(unanswered: number) {
  let registrations = 0;
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url?.startsWith('/config/'))
      return reply(200, { compatibilityLevel: 'FULL_TRANSITIVE' });
    if (req.method === 'POST' && req.url?.endsWith('/versions')) {
      registrations++;
      if (registrations <= unanswered) return void held.push(res); // never answered
      return reply(200, { id: 7 });
    }
    reply(404, { error_code: 40401, message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    registrations: () => registrations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('RegistryClient: a registration the registry leaves unanswered', () => {
  it('is asked again, and the answer to the second ask is used', async () => {
    const registry = await registryLeavingUnanswered(1);
    close = registry.close;
    const client = new RegistryClient(registry.url, 5_000, { attemptMs: 200, attempts: 3 });
    await expect(client.register('readings-value', schema)).resolves.toBe(7);
    expect(registry.registrations()).toBe(2);
  });

  it('past the attempts, fails as SCHEMA_REGISTRY_UNAVAILABLE naming the subject', async () => {
    const registry = await registryLeavingUnanswered(Number.POSITIVE_INFINITY);
    close = registry.close;
    const client = new RegistryClient(registry.url, 5_000, { attemptMs: 100, attempts: 3 });
    await expect(client.register('readings-value', schema)).rejects.toMatchObject({
      name: 'SchemaRegistryError',
      code: 'SCHEMA_REGISTRY_UNAVAILABLE',
      message: expect.stringContaining('registering readings-value'),
    });
    expect(registry.registrations()).toBe(3);
  });
});
