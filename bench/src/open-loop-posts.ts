import type { HttpClient } from './http-client.ts';

/**
 * The posts of an open loop (freshness, alert latency): each is sent without waiting for the one
 * before, counted while in flight so the pacer can skip a beat when the system falls behind, and
 * anything but a 202 is an error.
 */
export class OpenLoopPosts {
  inFlight = 0;
  errors = 0;
  /** What the errors were: `status code` of the answer (its JSON `code`), or the request's failure. */
  private readonly errorKinds = new Map<string, number>();
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
          else this.error(`${r.status} ${errorCode(r.body)}`.trim());
        })
        .catch((e: unknown) => {
          this.error(`request failed: ${e instanceof Error ? e.message : String(e)}`);
        })
        .finally(() => {
          this.inFlight--;
        }),
    );
  }

  /** The errors by kind, e.g. `503 OVERLOADED x1` ('' with none). */
  errorsText(): string {
    return [...this.errorKinds].map(([kind, n]) => `${kind} x${n}`).join(', ');
  }

  private error(kind: string): void {
    this.errors++;
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
  }

  /** Resolves when every post sent so far has its answer. */
  async settled(): Promise<void> {
    await Promise.all(this.sends);
  }
}

/** The `code` of a JSON error answer ('' when the body is not one). */
function errorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}
