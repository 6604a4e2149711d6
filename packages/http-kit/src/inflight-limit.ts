import { HttpError } from './errors.ts';

/**
 * Load shedding for an intake route: counts the items its requests hold (waiting for Kafka's
 * acknowledgement and, for a sync answer, for the outcome) and sheds a request that would take the
 * count past `max` with 503 OVERLOADED (Retry-After 1) before anything of it is appended, instead of
 * queueing without bound when the pipeline cannot keep up. A single request larger than `max` still
 * passes when nothing else is held (the batch-size limit bounds it), as in the events gateway.
 */
export class InflightLimit {
  private held = 0;

  constructor(
    private readonly max: number,
    /** Called with the new count after each change (a gauge). */
    private readonly onChange: (held: number) => void = () => {},
  ) {}

  get inflight(): number {
    return this.held;
  }

  /**
   * Takes `count` items, or throws HttpError OVERLOADED (nothing taken) past the bound. Returns the
   * release, which gives them back once however often it is called. For a route that must be
   * refused before it starts anything else (the gateway registers its sync wait after this).
   */
  take(count: number): () => void {
    if (this.held > 0 && this.held + count > this.max) throw new HttpError('OVERLOADED');
    this.held += count;
    this.onChange(this.held);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= count;
      this.onChange(this.held);
    };
  }

  /** Runs `work` holding `count` items; throws HttpError OVERLOADED (nothing run) past the bound. */
  async hold<T>(count: number, work: () => Promise<T>): Promise<T> {
    const release = this.take(count);
    try {
      return await work();
    } finally {
      release();
    }
  }
}
