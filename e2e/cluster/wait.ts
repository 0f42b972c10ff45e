/**
 * lib/testing's bounded poll at the control plane's pace: a poll is an API request, and controllers,
 * kwok and watches take seconds, so it polls every 250 ms for up to a minute unless told otherwise.
 */
import { waitFor as poll, type WaitOptions } from '../../lib/testing/net';

/**
 * Polls `check` until it returns a truthy value and resolves with it; a check that throws counts as
 * "not yet", and its last error is named when the wait times out. `abort` ends the wait at once.
 */
export function waitFor<T>(what: string, check: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  return poll(what, check, { timeoutMs: opts.timeoutMs ?? 60_000, intervalMs: opts.intervalMs ?? 250, abort: opts.abort });
}
