import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SlimEvent, SlimPod } from '../model/k8s';
import { emptySnapshot } from '../model/snapshot';
import { dumpTime } from './dump-time';

describe('dumpTime', () => {
  test('is the newest past stamp of the objects, ignoring times that are meant to be in the future', () => {
    const snapshot = emptySnapshot();
    snapshot.pods.push({
      metadata: { name: 'web-1', namespace: 'hst-a', creationTimestamp: '2026-11-20T08:00:00Z', deletionTimestamp: '2026-11-26T10:00:30Z' },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-26T09:01:00Z' }],
        containerStatuses: [
          { name: 'web', ready: true, restartCount: 1, state: { running: { startedAt: '2026-11-26T09:00:40Z' } }, lastState: { terminated: { finishedAt: '2026-11-26T09:00:30Z' } } },
        ],
      },
    } as SlimPod);
    snapshot.events.push({ metadata: { name: 'e', namespace: 'hst-a' }, lastTimestamp: '2026-11-26T09:25:00Z' } as SlimEvent);
    snapshot.certificates = [{ metadata: { name: 'c', namespace: 'hst-a' }, status: { notAfter: '2027-02-01T00:00:00Z', renewalTime: '2027-01-01T00:00:00Z' } }] as never;
    snapshot.probes = { 'a.example.com': { lastTransitionTime: '2030-01-01T00:00:00Z' } } as never;
    assert.equal(dumpTime(snapshot)?.toISOString(), '2026-11-26T09:25:00.000Z');
  });

  test('is undefined for a dump without any stamp', () => {
    assert.equal(dumpTime(emptySnapshot()), undefined);
  });
});
