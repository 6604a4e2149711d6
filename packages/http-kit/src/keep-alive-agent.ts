import { Agent } from 'node:http';

/** A pooled connection is dropped this long before the server would close it. */
export const KEEP_ALIVE_MARGIN_MS = 1_000;

/**
 * An agent for a client of a server whose keep-alive timeout is known (ours: `keepAliveTimeoutMs`).
 * Idle pooled sockets close before the server closes them: a request written on a socket the server
 * is closing fails with ECONNRESET (seen under load as the forwarder's 503s). Node 20's agent honours
 * the server's `Keep-Alive: timeout` hint only when it has a timeout of its own, and the hint alone
 * would close at the same moment as the server, so the agent gets the server's timeout less a margin.
 * On a socket in use that timeout only emits 'timeout', which the agent does not act on. A server
 * timeout too short for the margin gives a connection per request.
 */
export function keepAliveAgent(options: { serverKeepAliveMs: number; maxSockets: number }): Agent {
  const idleMs = options.serverKeepAliveMs - KEEP_ALIVE_MARGIN_MS;
  return idleMs > 0
    ? new Agent({
        keepAlive: true,
        maxSockets: options.maxSockets,
        maxFreeSockets: options.maxSockets,
        timeout: idleMs,
      })
    : new Agent({ keepAlive: false, maxSockets: options.maxSockets });
}
