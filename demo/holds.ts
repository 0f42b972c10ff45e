/**
 * List holds: LIST requests answered late, as by an overloaded or distant API server, so a freshly started
 * client stays syncing for as long as a test needs. A hold ends by itself; ending it early answers the
 * lists waiting on it.
 */

interface Hold {
  token?: string;
  until: number;
  done: Promise<void>;
  end: () => void;
}

/** A hold as the admin endpoint's `state` lists it. */
export interface HoldInfo {
  token?: string;
  /** When it ends by itself (ISO 8601). */
  until: string;
}

/** The list holds in force. */
export class ListHolds {
  private readonly holds = new Set<Hold>();

  /**
   * Holds the lists of every client, or only those sent with `token`, for at most `seconds`; returns the
   * function that ends the hold early.
   */
  hold(seconds: number, { token }: { token?: string } = {}): () => void {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const hold: Hold = {
      ...(token !== undefined ? { token } : {}),
      until: Date.now() + seconds * 1000,
      done,
      end: () => {
        clearTimeout(timer);
        if (this.holds.delete(hold)) resolve();
      },
    };
    // The timer must not keep a finished test process alive; the hold ends with it either way.
    const timer = setTimeout(hold.end, seconds * 1000);
    timer.unref();
    this.holds.add(hold);
    return hold.end;
  }

  /** Ends every hold now: the held lists are answered. */
  releaseAll(): void {
    for (const h of [...this.holds]) h.end();
  }

  /**
   * What a list sent with `token` waits for: a promise that resolves once every hold on it has ended, or
   * undefined when none is in force, so an unheld list is answered without a turn of the event loop.
   */
  pending(token: string | undefined): Promise<void> | undefined {
    const waiting = [...this.holds].filter((h) => h.token === undefined || h.token === token);
    return waiting.length ? Promise.all(waiting.map((h) => h.done)).then(() => undefined) : undefined;
  }

  /** The holds in force. */
  list(): HoldInfo[] {
    return [...this.holds].map((h) => ({ ...(h.token !== undefined ? { token: h.token } : {}), until: new Date(h.until).toISOString() }));
  }
}
