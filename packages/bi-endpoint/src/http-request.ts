import type { IncomingMessage } from 'node:http';

/** What a ClickHouse HTTP request asks for, in the server's terms. */
export interface ParsedRequest {
  /** The `query` parameter, then the POST body (ClickHouse joins them). */
  sql: string;
  user: string;
  password: string;
  database: string | undefined;
  /** `default_format` parameter or `X-ClickHouse-Format` header; a FORMAT clause wins over it. */
  defaultFormat: string | undefined;
  queryId: string | undefined;
  /** `compress=1`: the answer in ClickHouse's compressed block framing. */
  compress: boolean;
  /** `enable_http_compression=1` with an Accept-Encoding the endpoint speaks. */
  httpCompression: 'gzip' | 'deflate' | undefined;
  /** `param_<name>` values of `{name:Type}` placeholders. */
  params: Record<string, string>;
  /** Every other URL parameter is a setting, as on the server. */
  settings: Record<string, string>;
}

/** URL parameters the server's HTTP layer consumes itself (they are not settings). */
const PROTOCOL_PARAMETERS = new Set([
  'query',
  'user',
  'password',
  'quota_key',
  'database',
  'default_format',
  'query_id',
  'compress',
  'decompress',
  'buffer_size',
  'wait_end_of_query',
  'session_id',
  'session_timeout',
  'session_check',
  'stacktrace',
  'role',
  'client_protocol_version',
  'close_session',
  'enable_http_compression',
  'http_zlib_compression_level',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'http_wait_end_of_query',
  'http_response_buffer_size',
  'add_http_cors_header',
  'cancel_http_readonly_queries_on_client_close',
]);

export function parseRequest(req: IncomingMessage, body: Buffer): ParsedRequest {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = url.searchParams;
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const basic = parseBasicAuth(header('authorization'));
  const params: Record<string, string> = {};
  const settings: Record<string, string> = {};
  for (const [name, value] of q) {
    if (name.startsWith('param_')) params[name.slice('param_'.length)] = value;
    else if (!PROTOCOL_PARAMETERS.has(name)) settings[name] = value;
  }
  const queryParam = q.get('query') ?? '';
  const bodyText = req.method === 'POST' ? body.toString('utf8') : '';
  return {
    sql: queryParam && bodyText ? `${queryParam}\n${bodyText}` : queryParam || bodyText,
    user: header('x-clickhouse-user') ?? basic?.user ?? q.get('user') ?? 'default',
    password: header('x-clickhouse-key') ?? basic?.password ?? q.get('password') ?? '',
    database: q.get('database') ?? header('x-clickhouse-database') ?? undefined,
    defaultFormat: q.get('default_format') ?? header('x-clickhouse-format') ?? undefined,
    queryId: q.get('query_id') ?? undefined,
    compress: q.get('compress') === '1',
    httpCompression:
      q.get('enable_http_compression') === '1' ? acceptedEncoding(header('accept-encoding')) : undefined,
    params,
    settings,
  };
}

function parseBasicAuth(value: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(value ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? { user: decoded, password: '' }
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function acceptedEncoding(value: string | undefined): 'gzip' | 'deflate' | undefined {
  const encodings = (value ?? '').split(',').map((e) => e.trim().split(';')[0]!.toLowerCase());
  if (encodings.includes('gzip')) return 'gzip';
  if (encodings.includes('deflate')) return 'deflate';
  return undefined;
}
