import http from 'node:http';
import { HTTP_LIMIT_DEFAULTS, keepAliveAgent } from '@shopfloor/http-kit';

export type HttpReply = { status: number; body: string; ms: number; endedAt: number };

/**
 * A keep-alive HTTP client on node:http (no per-request connection set-up in the figures). Its idle
 * connections close before the server's (`serverKeepAliveMs`, the servers' default unless told):
 * a request written on a connection the server is closing would fail with ECONNRESET.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    maxSockets: number,
    serverKeepAliveMs = HTTP_LIMIT_DEFAULTS.keepAliveTimeoutMs,
  ) {
    this.base = new URL(baseUrl);
    this.agent = keepAliveAgent({ serverKeepAliveMs, maxSockets });
  }

  request(method: 'GET' | 'POST', path: string, body?: string, timeoutMs = 60_000): Promise<HttpReply> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers:
            body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const endedAt = performance.now();
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: endedAt - started,
              endedAt,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  get(path: string): Promise<HttpReply> {
    return this.request('GET', path);
  }

  async getJson<T>(path: string): Promise<T> {
    const r = await this.get(path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
