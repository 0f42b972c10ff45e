/**
 * A fixed domain history for tests: one day of `app.my-client.junovy.com` with an incident caused by a
 * Service selector typo, a certificate rotation, an hour without data, and messages that name cluster
 * objects (what the share redaction must drop).
 */
import type { DomainHistory } from '../history/types';

export const FIXTURE_HOST = 'app.my-client.junovy.com';
export const FIXTURE_NS = 'hst-my-client';
/** The fixture's "now": the end of its window. */
export const FIXTURE_NOW = new Date('2026-05-02T12:00:00.000Z');

/** Names of cluster objects that appear in the fixture and must never reach a client. */
export const FIXTURE_SECRET_NAMES = ['booking', 'bookng', 'booking-7f9c', 'booking-tls', 'hst-my-client'];

export function fixtureHistory(): DomainHistory {
  const base = { cluster: 'default', host: FIXTURE_HOST, namespace: FIXTURE_NS };
  return {
    cluster: 'default',
    host: FIXTURE_HOST,
    since: '2026-05-01T12:00:00.000Z',
    until: '2026-05-02T12:00:00.000Z',
    transitions: [
      { ...base, id: '11', at: '2026-05-02T03:12:00.000Z', from: 'healthy', to: 'down', codes: ['service.no-endpoints'], message: 'Service booking selects no Pod: selector app=bookng matches nothing' },
      { ...base, id: '12', at: '2026-05-02T05:26:00.000Z', from: 'down', to: 'healthy', codes: [] },
    ],
    changes: [
      {
        id: '7',
        cluster: 'default',
        namespace: FIXTURE_NS,
        kind: 'Service',
        name: 'booking',
        at: '2026-05-02T03:11:54.000Z',
        action: 'modified',
        hosts: [FIXTURE_HOST],
        lines: ['selector app=booking -> app=bookng'],
        helm: { release: 'booking', revision: '12' },
      },
      {
        id: '8',
        cluster: 'default',
        namespace: FIXTURE_NS,
        kind: 'Certificate',
        name: 'booking-tls',
        at: '2026-05-02T08:00:00.000Z',
        action: 'modified',
        hosts: [FIXTURE_HOST],
        lines: ['notAfter 2026-07-31 -> 2026-08-01'],
      },
    ],
    incidents: [
      {
        host: FIXTURE_HOST,
        namespace: FIXTURE_NS,
        start: '2026-05-02T03:12:00.000Z',
        end: '2026-05-02T05:26:00.000Z',
        worst: 'down',
        durationSeconds: 8040,
        codes: ['pod.crash-loop', 'service.no-endpoints'],
        message: 'Service booking selects no Pod: selector app=bookng matches nothing; Pod booking-7f9c crash-looping',
        changesBefore: [
          {
            id: '7',
            cluster: 'default',
            namespace: FIXTURE_NS,
            kind: 'Service',
            name: 'booking',
            at: '2026-05-02T03:11:54.000Z',
            action: 'modified',
            hosts: [FIXTURE_HOST],
            lines: ['selector app=booking -> app=bookng'],
          },
        ],
      },
    ],
    noData: [{ start: '2026-05-01T20:00:00.000Z', end: '2026-05-01T21:00:00.000Z' }],
    uptime: [
      { window: '24h', ratio: 0.9026, seconds: { healthy: 74_760, degraded: 0, down: 8040, unknown: 0, 'no-data': 3600 } },
      { window: '7d', ratio: 0.9861, seconds: { healthy: 592_560, degraded: 0, down: 8040, unknown: 0, 'no-data': 3600 } },
      { window: '30d', ratio: 0.9969, seconds: { healthy: 2_580_360, degraded: 0, down: 8040, unknown: 0, 'no-data': 3600 } },
      { window: '90d', ratio: null, seconds: { healthy: 0, degraded: 0, down: 0, unknown: 0, 'no-data': 7_776_000 } },
    ],
    current: { state: 'healthy', since: '2026-05-02T05:26:00.000Z' },
  };
}
