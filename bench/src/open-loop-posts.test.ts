import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from './http-client.ts';
import { OpenLoopPosts } from './open-loop-posts.ts';

// A loopback server that answers each path with a fixed status and body.
const answers: Record<string, [number, string]> = {
  '/accepted': [202, '{"jobId":"j1"}'],
  '/shed': [503, '{"code":"OVERLOADED","message":"too many readings waiting"}'],
  '/plain': [500, 'not json'],
};
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const [status, body] = answers[req.url ?? ''] ?? [404, '{"code":"NOT_FOUND"}'];
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('OpenLoopPosts', () => {
  it('counts a 202 as accepted and nothing else', async () => {
    const posts = new OpenLoopPosts(new HttpClient(base, 2), '/accepted');
    let accepted = 0;
    posts.post('{}', () => accepted++);
    posts.post('{}', () => accepted++);
    await posts.settled();
    expect(accepted).toBe(2);
    expect(posts.errors).toBe(0);
    expect(posts.errorsText()).toBe('');
  });

  it('says which answers were errors: status and JSON code, or the status alone', async () => {
    const client = new HttpClient(base, 4);
    const shed = new OpenLoopPosts(client, '/shed');
    shed.post('{}', () => {});
    shed.post('{}', () => {});
    await shed.settled();
    expect(shed.errors).toBe(2);
    expect(shed.errorsText()).toBe('503 OVERLOADED x2');

    const plain = new OpenLoopPosts(client, '/plain');
    plain.post('{}', () => {});
    await plain.settled();
    expect(plain.errorsText()).toBe('500 x1');
  });

  it('counts a request that fails (nothing listening) with its reason', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const posts = new OpenLoopPosts(new HttpClient(`http://127.0.0.1:${port}`, 1), '/accepted');
    posts.post('{}', () => {});
    await posts.settled();
    expect(posts.errors).toBe(1);
    expect(posts.errorsText()).toMatch(/^request failed: .*ECONNREFUSED.* x1$/);
  });
});
