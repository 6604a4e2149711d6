import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from '@shopfloor/http-kit';
import { afterEach, describe, expect, test } from 'vitest';
import { readFromPipeline } from './pipeline-reads.ts';

describe('readFromPipeline', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server?.listening) await new Promise((r) => server!.close(r));
  });
  const serve = async (status: number, body: string) => {
    server = createServer((req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-accept': String(req.headers.accept) });
      res.end(body);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  };

  test('answers the JSON of a 200, asked with the given Accept', async () => {
    const upstream = await serve(200, '{"paths":{}}');
    expect(await readFromPipeline(upstream, '/openapi.json', 'application/json')).toEqual({ paths: {} });
  });

  test('a non-200 or no answer at all is 503 PIPELINE_UNAVAILABLE', async () => {
    const failing = await serve(500, '{"code":"INTERNAL"}');
    await expect(readFromPipeline(failing, '/metrics', 'application/json')).rejects.toMatchObject({
      code: 'PIPELINE_UNAVAILABLE',
      status: 503,
    });
    await new Promise((r) => server!.close(r));
    const gone = readFromPipeline(failing, '/metrics', 'application/json');
    await expect(gone).rejects.toBeInstanceOf(HttpError);
  });
});
