import { type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { type HttpApp, HttpError, keepAliveAgent } from '@shopfloor/http-kit';

const pathOf = (url: string) => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

/**
 * Whether a request is one of `routes` (method and Fastify path: `:name` matches one segment, `*`
 * the rest). HEAD is asked as GET, as Fastify answers it. The gateway's own routes and the query thread's.
 */
export function routeMatcher(
  routes: readonly { method: string; url: string }[],
): (method: string | undefined, url: string | undefined) => boolean {
  const byMethod = new Map<string, RegExp[]>();
  for (const r of routes) {
    const pattern = r.url
      .split('/')
      .map((seg) =>
        seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    const list = byMethod.get(r.method) ?? [];
    list.push(new RegExp(`^${pattern}$`));
    byMethod.set(r.method, list);
  }
  return (method, url) => {
    if (!method || !url) return false;
    const path = pathOf(url);
    return (byMethod.get(method === 'HEAD' ? 'GET' : method) ?? []).some((re) => re.test(path));
  };
}

/**
 * The routes the gateway process answers itself (with the API's alias prefix): the ingest, and the
 * two answers it completes with the pipeline's (metrics, API description). The rest is forwarded.
 */
export const isAnsweredHere = routeMatcher([
  { method: 'POST', url: '/events/batch' },
  { method: 'POST', url: '/api/v1/events/batch' },
  { method: 'GET', url: '/metrics' },
  { method: 'GET', url: '/api/v1/metrics' },
  { method: 'GET', url: '/openapi.json' },
]);

// Hop-by-hop headers belong to one connection, not to the request (RFC 9110 7.6.1).
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer'];
const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders => {
  const copy = { ...headers };
  for (const h of HOP_BY_HOP) delete copy[h];
  return copy;
};

export interface ForwardOptions {
  /** How long the upstream keeps an idle connection open (its keep-alive timeout). */
  upstreamKeepAliveMs: number;
  /** Told of every request the upstream did not answer (its caller got the 503). */
  onError?: (err: Error, req: IncomingMessage) => void;
}

/**
 * A request handler that streams the request to `upstream` and its answer back (bodies are piped,
 * never parsed, so the dashboard's event streams and large answers pass as they are). An upstream
 * that does not answer gives the API's JSON error, 503 PIPELINE_UNAVAILABLE with its Retry-After.
 */
export function forwardTo(
  upstream: URL,
  options: ForwardOptions,
): {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): void;
} {
  // Idle pooled sockets close before the upstream closes them (else ECONNRESET, a 503 here).
  const agent = keepAliveAgent({ serverKeepAliveMs: options.upstreamKeepAliveMs, maxSockets: 256 });
  const fail = (res: ServerResponse) => {
    if (res.headersSent) return void res.destroy();
    const err = new HttpError('PIPELINE_UNAVAILABLE');
    res.writeHead(err.status, {
      'content-type': 'application/json; charset=utf-8',
      'retry-after': String(err.retryAfterSeconds),
    });
    res.end(JSON.stringify({ code: err.code, message: err.message }));
  };
  return {
    handle(req, res) {
      const out = request(
        {
          agent,
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: endToEnd(req.headers),
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
          answer.pipe(res);
        },
      );
      out.on('error', (err) => {
        options.onError?.(err, req);
        fail(res);
      });
      // A client that goes away (a closed dashboard stream) releases the upstream request too.
      res.on('close', () => {
        if (!res.writableFinished) out.destroy();
      });
      req.pipe(out);
    },
    close: () => agent.destroy(),
  };
}

/** A second upstream for some routes: the pipeline process's query thread and the routes it answers. */
export type RoutedUpstream = { url: URL; routes: readonly { method: string; url: string }[] };

/**
 * Makes `app`'s server answer the routes of `isAnsweredHere` through the app (its hooks, auth, limits and
 * timeouts), forward those of `query` to its upstream (the query thread) and every other request to
 * `upstream`. Call before `listen`, after the routes are registered; Fastify's own request listener is
 * the only one on its server and is replaced.
 */
export async function serveHereForwardRest(
  app: HttpApp,
  upstream: URL,
  options: ForwardOptions,
  query?: RoutedUpstream | undefined,
): Promise<() => void> {
  await app.ready();
  const forward = forwardTo(upstream, options);
  const toQuery = query && forwardTo(query.url, options);
  const isQuery = query ? routeMatcher(query.routes) : () => false;
  app.server.removeAllListeners('request');
  app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isAnsweredHere(req.method, req.url)) app.routing(req, res);
    else if (toQuery && isQuery(req.method, req.url)) toQuery.handle(req, res);
    else forward.handle(req, res);
  });
  return () => {
    forward.close();
    toQuery?.close();
  };
}
