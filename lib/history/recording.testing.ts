/**
 * Test helpers for the recorder's tests: a `HistoryService`-shaped double that keeps what it is given,
 * and minimal analysis results. The real store (lib/history/store.ts) is another module with its own
 * tests; the recorder is specified by what it hands to the interface.
 */
import type { AnalysisResult, DomainChain, Finding, Health } from '../model/chain';
import type { ChangeRecord, HistoryService, Since, Transition } from './types';

export interface RecordingHistory extends HistoryService {
  transitions: Transition[];
  changes: ChangeRecord[];
  beats: { cluster: string; at: string; synced: boolean }[];
  lastStatesCalls: number;
}

/** `states`: what `lastStates` answers (a function to change it between calls); undefined = unavailable. */
export function recordingHistory(states?: Map<string, Since> | (() => Map<string, Since> | undefined)): RecordingHistory {
  const h: RecordingHistory = {
    transitions: [],
    changes: [],
    beats: [],
    lastStatesCalls: 0,
    status: () => ({ available: true, engine: 'pglite', role: 'writer', retentionDays: 90, pending: 0, defaultCluster: 'c1' }),
    record: (r) => {
      h.transitions.push(...(r.transitions ?? []));
      h.changes.push(...(r.changes ?? []));
    },
    heartbeat: (cluster, at, synced) => void h.beats.push({ cluster, at: at.toISOString(), synced }),
    lastStates: async () => {
      h.lastStatesCalls++;
      return typeof states === 'function' ? states() : states;
    },
    domain: async () => undefined,
    namespace: async () => undefined,
    summaries: () => undefined,
    clusters: () => undefined,
    flush: async () => {},
    close: async () => {},
  };
  return h;
}

export function finding(code: string, severity: Finding['severity'], message: string, object: Finding['object']): Finding {
  return { id: `${code}:${object.namespace}/${object.kind}/${object.name}`, code, severity, link: { type: 'node', id: `${object.kind}/${object.name}` }, object, message, hint: '' };
}

/** A domain with one route to Service `svc` (default: the host's first label) and the given findings. */
export function domain(host: string, health: Health, findings: Finding[] = [], namespace = 'hst-a', svc = host.split('.')[0]!): DomainChain {
  return {
    host,
    namespace,
    namespaces: [namespace],
    health,
    routes: [
      {
        id: `Route/${svc}/0/0`,
        namespace,
        ingress: svc,
        path: '/',
        pathType: 'Prefix',
        isDefaultBackend: false,
        backend: { service: { name: svc, port: { number: 80 } } },
        service: {
          id: `Service/${svc}`,
          name: svc,
          type: 'ClusterIP',
          selector: { app: svc },
          ports: [{ port: 80, targetPort: 8080 }],
          endpoints: [
            {
              id: `Endpoint/${svc}-abcde/10.0.0.1`,
              slice: `${svc}-abcde`,
              addressType: 'IPv4',
              addresses: ['10.0.0.1'],
              ready: true,
              serving: true,
              terminating: false,
              targetRef: { kind: 'Pod', namespace, name: `${svc}-7c9d-x1` },
              pod: {
                id: `Pod/${svc}-7c9d-x1`,
                name: `${svc}-7c9d-x1`,
                phase: 'Running',
                ready: true,
                restarts: 0,
                deleting: false,
                conditions: [],
                containers: [],
                owner: `ReplicaSet/${svc}-7c9d`,
                health: 'healthy',
              },
              health: 'healthy',
            },
          ],
          counts: { ready: 1, notReady: 0, terminating: 0, total: 1 },
          podsWithoutEndpoint: [],
          health,
        },
        health,
      },
    ],
    tls: { id: `TLS/${host}`, enabled: true, source: { type: 'secret', secretName: `${svc}-tls` }, check: { state: 'not-checked', reasons: ['probes-off'] }, health: 'not-checked' },
    dns: { id: `DNS/${host}`, annotatedHostnames: [], loadBalancer: [], check: { state: 'not-checked', reasons: ['probes-off'] }, health: 'not-checked' },
    findings,
    events: [],
    gaps: [],
  };
}

export function result(domains: DomainChain[], analyzedAt = '2026-11-26T09:30:00.000Z'): AnalysisResult {
  return { namespacePrefix: 'hst-', analyzedAt, domains, namespaces: [] };
}
