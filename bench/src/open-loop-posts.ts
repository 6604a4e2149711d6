import type { HttpClient } from './http-client.ts';

/**
 * The posts of an open loop (freshness, alert latency): each is sent without waiting for the one
 * before, counted while in flight so the pacer can skip a beat when the system falls behind, and
 * anything but a 202 is an error.
 */
export class OpenLoopPosts {
  inFlight = 0;
  errors = 0;
  private readonly sends: Promise<void>[] = [];

  constructor(
    private readonly client: HttpClient,
    private readonly path: string,
  ) {}

  /** `onAccepted` gets the 202's answer time (`performance.now()` when it was read). */
  post(body: string, onAccepted: (ackAt: number) => void): void {
    this.inFlight++;
    this.sends.push(
      this.client
        .request('POST', this.path, body)
        .then((r) => {
          if (r.status === 202) onAccepted(r.endedAt);
          else this.errors++;
        })
        .catch(() => {
          this.errors++;
        })
        .finally(() => {
          this.inFlight--;
        }),
    );
  }

  /** Resolves when every post sent so far has its answer. */
  async settled(): Promise<void> {
    await Promise.all(this.sends);
  }
}
