import type { HttpReply } from './http-client.ts';

/**
 * What the clients of a closed loop got back: the items acknowledged (200, or 202 in async mode or
 * past the sync timeout), each acknowledged request's time, load shed (429/503) and other failures.
 */
export class RequestTally {
  itemsAcked = 0;
  requestsAcked = 0;
  /** Sync requests answered 202 because the outcome took longer than the sync timeout. */
  syncTimeouts = 0;
  shed = 0;
  errors = 0;
  lastError: string | undefined;
  readonly latencies: number[] = [];

  constructor(private readonly mode: 'async' | 'sync') {}

  /** Sends one request of `items` and counts its answer; never throws. */
  async count(items: number, send: () => Promise<HttpReply>): Promise<void> {
    try {
      const r = await send();
      if (r.status === 200 || r.status === 202) {
        this.itemsAcked += items;
        this.requestsAcked++;
        this.latencies.push(r.ms);
        if (this.mode === 'sync' && r.status === 202) this.syncTimeouts++;
        return;
      }
      if (r.status === 429 || r.status === 503) this.shed++;
      else this.errors++;
      this.lastError = `${r.status} ${r.body.slice(0, 200)}`;
    } catch (err) {
      this.errors++;
      this.lastError = (err as Error).message;
    }
  }
}
