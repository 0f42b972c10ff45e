/**
 * Network helpers for tests, benchmarks and the demo: a free port on the loopback interface, and bounded
 * polling. Test and demo support only; the app (lib/server, app/, components/) never imports lib/testing.
 *
 * @packageDocumentation
 */
import { createServer, type AddressInfo } from 'node:net';

/**
 * A port nobody listens on right now: the kernel's pick on `host`, bound and released again. Another
 * process may take it before the caller binds it; a caller that can listen on port 0 should do that instead.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** How long {@link waitFor} polls, how often, and when it gives up early. */
export interface WaitOptions {
  /** The cap, 5000 ms unless given. It turns a hang into a clear failure; it is not a speed requirement. */
  timeoutMs?: number;
  /** The pause between two checks, 10 ms unless given. */
  intervalMs?: number;
  /**
   * Asked before every check: a string ends the wait at once with that reason (e.g. the process being
   * waited for has exited), where polling on could only time out.
   */
  abort?: () => string | undefined;
}

/** What the error a check threw says, for the timeout message. */
function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Polls `check` until it returns a truthy value, and resolves with that value. A check that throws counts
 * as "not yet". After `timeoutMs` it rejects with a message naming `what` and the last error a check
 * threw; when `abort` returns a reason it rejects at once with `<reason> while waiting for <what>`.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 5000, intervalMs = 10, abort } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let threw = false;
  for (;;) {
    const why = abort?.();
    if (why) throw new Error(`${why} while waiting for ${what}`);
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (e) {
      lastError = e;
      threw = true;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${threw ? `: ${reason(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
