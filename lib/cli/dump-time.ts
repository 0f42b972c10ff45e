/**
 * When a dump was taken. `kubectl get -o yaml` records no time of its own, but the cluster stamps what
 * happens in it (an object's creation, an event's last occurrence, a container's start or exit, a
 * condition's change), so the newest of those stamps is the last moment the dump is known to have seen:
 * "restarted 5 min ago" is counted from there, not from whenever the dump is read.
 */
import type { Snapshot } from '../model/snapshot';

/**
 * Fields that hold a moment already past when the object was read. Left out on purpose: a Pod's
 * `deletionTimestamp` (the end of its grace period, in the future) and a certificate's `notAfter` and
 * `renewalTime` (future by design).
 */
const PAST_TIMES = new Set([
  'creationTimestamp',
  'firstTimestamp',
  'lastTimestamp',
  'eventTime',
  'lastTransitionTime',
  'lastProbeTime',
  'lastUpdateTime',
  'startTime',
  'startedAt',
  'finishedAt',
]);

/** The newest past-time stamp of the snapshot's objects, or `undefined` when it holds none. */
export function dumpTime(snapshot: Snapshot): Date | undefined {
  let newest = -Infinity;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        if (PAST_TIMES.has(key)) {
          const t = Date.parse(v);
          if (t > newest) newest = t;
        }
      } else visit(v);
    }
  };
  // Probe results are not part of the dump: they are taken now, over the network.
  const { probes: _probes, gaps: _gaps, ...objects } = snapshot;
  visit(objects);
  return Number.isFinite(newest) ? new Date(newest) : undefined;
}
