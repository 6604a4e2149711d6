import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { BiEngine, type BiLimits } from './bi-engine.ts';
import { ClickHouseProtocolError, httpStatusOf } from './clickhouse-error.ts';
import { toCompressedBlocks } from './compressed-blocks.ts';
import { type ParsedRequest, parseRequest } from './http-request.ts';
import { contentTypeOf, summaryHeader } from './response-format.ts';
import { outlineSql } from './sql-text.ts';
import { checkStatement, READABLE_DATABASES } from './statement-guard.ts';

export interface BiEndpointOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  user: string;
  password: string;
  /** Data directory of the embedded engine this process owns. */
  dataDir: string;
  limits: BiLimits;
  /** X-ClickHouse-Server-Display-Name. */
  displayName?: string;
  log?: (entry: { msg: string; [key: string]: unknown }) => void;
}

export interface BiEndpoint {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const MAX_QUERY_BYTES = 1024 * 1024;
const FORMAT_NAME = /^[A-Za-z0-9_]+$/;

/**
 * The ClickHouse HTTP interface, read-only, over the embedded engine: what BI tools' ClickHouse
 * drivers (JDBC, clickhouse-js, Grafana's plugin) speak. See README.md for what is supported.
 */
export async function startBiEndpoint(options: BiEndpointOptions): Promise<BiEndpoint> {
  const engine = await BiEngine.open(options.dataDir, options.limits, 'bi');
  const displayName = options.displayName ?? 'shopfloor-embedded';
  const secret = digest(`${options.user}\0${options.password}`);
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => handle(req, res, body))
      .catch((err) => sendError(res, ClickHouseProtocolError.fromEngine(err), undefined));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer | undefined): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.setHeader('X-ClickHouse-Server-Display-Name', displayName);
    if (body === undefined) {
      res.writeHead(413, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Request body too large\n');
      return;
    }
    const request = parseRequest(req, body);
    if (path === '/ping' || (path === '/' && req.method !== 'POST' && request.sql === '')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' }).end('Ok.\n');
      return;
    }
    if (path !== '/' || (req.method !== 'GET' && req.method !== 'POST')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end(`There is no handle ${path}\n\nUse / or /ping for health checks.\n`);
      return;
    }
    const queryId = request.queryId ?? randomUUID();
    try {
      await answer(res, request, queryId);
    } catch (err) {
      const error = err instanceof ClickHouseProtocolError ? err : ClickHouseProtocolError.fromEngine(err);
      options.log?.({ msg: 'BI query refused or failed', queryId, code: error.code });
      sendError(res, error, queryId, engine.version);
    }
  }

  async function answer(res: ServerResponse, request: ParsedRequest, queryId: string): Promise<void> {
    if (!timingSafeEqual(digest(`${request.user}\0${request.password}`), secret)) {
      throw ClickHouseProtocolError.of(
        'AUTHENTICATION_FAILED',
        `${request.user}: Authentication failed: password is incorrect, or there is no user with such name`,
      );
    }
    const outline = outlineSql(request.sql);
    if (outline.statement === '') throw ClickHouseProtocolError.of('SYNTAX_ERROR', 'Empty query');
    if (outline.multiStatement) {
      throw ClickHouseProtocolError.of('SYNTAX_ERROR', 'Syntax error (Multi-statements are not allowed)');
    }
    if (outline.intoOutfile) {
      throw ClickHouseProtocolError.of('READONLY', `${request.user}: Cannot execute query in readonly mode`);
    }
    const database = request.database || 'bi';
    if (!READABLE_DATABASES.has(database)) {
      throw ClickHouseProtocolError.of(
        'ACCESS_DENIED',
        `${request.user}: Not enough privileges. To execute this query, it's necessary to have the grant SHOW TABLES ON ${database}.*`,
      );
    }
    const format = outline.format ?? request.defaultFormat ?? 'TabSeparated';
    if (!FORMAT_NAME.test(format))
      throw ClickHouseProtocolError.of('UNKNOWN_FORMAT', `Unknown format ${format}`);
    const statement = {
      sql: outline.statement,
      format,
      database,
      params: request.params,
      settings: request.settings,
    };
    const result = await engine.exclusive(async () => {
      await checkStatement(engine, request.user, statement);
      return engine.run(statement);
    });
    let payload = request.compress ? toCompressedBlocks(result.body) : result.body;
    const headers: Record<string, string> = {
      'Content-Type': contentTypeOf(format),
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Format': format,
      'X-ClickHouse-Timezone': engine.timezone,
      'X-ClickHouse-Summary': summaryHeader({ ...result, resultBytes: result.body.length }),
    };
    if (request.httpCompression) {
      payload = request.httpCompression === 'gzip' ? gzipSync(payload) : deflateSync(payload);
      headers['Content-Encoding'] = request.httpCompression;
    }
    res.writeHead(200, headers).end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.exclusive(async () => engine.close());
    },
  };
}

function sendError(res: ServerResponse, error: ClickHouseProtocolError, queryId?: string, version?: string) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text =
    version && !/\(version [^)]*\)$/.test(error.text) ? `${error.text} (version ${version})` : error.text;
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=UTF-8',
    'X-ClickHouse-Exception-Code': String(error.code),
  };
  if (queryId) headers['X-ClickHouse-Query-Id'] = queryId;
  res.writeHead(httpStatusOf(error.code), headers).end(`${text}\n`);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The body, or undefined past MAX_QUERY_BYTES (a BI endpoint takes queries, not data). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_QUERY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
