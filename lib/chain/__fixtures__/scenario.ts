/**
 * Rule scenarios as data (test code only): a fixture, an optional edit (data gaps, probe results), and
 * the whole expected outcome per domain: its health and its findings as `{ code, severity, object, link }`.
 * Each rule family keeps its scenarios beside its rules (rules/<family>.scenarios.ts); this is their
 * shape, their runner, and the names of the seed chain they share.
 */
import assert from 'node:assert/strict';
import type { AnalysisResult, Health } from '../../model/chain';
import type { HostProbes } from '../../model/probe';
import type { DataGap, Snapshot } from '../../model/snapshot';
import type { AnalyzeOptions } from '../index';
import { briefs, HOST, node, NS, POD, ref, run, type Brief } from './load';

export interface Outcome {
  health: Health;
  findings: Brief[];
}

export interface Scenario {
  /** Reads as a sentence: the test name. */
  title: string;
  fixture: string;
  edit?: (s: Snapshot) => void;
  opts?: Partial<AnalyzeOptions>;
  /** Every domain of the result, by host. */
  domains: Record<string, Outcome>;
  /** The namespace summary of `hst-my-client` (health and its own findings), when it matters. */
  namespace?: Outcome;
  /** Further checks on the whole result. */
  check?: (r: AnalysisResult) => void;
}

/** Run a scenario and compare every domain, and the namespace when given, with what it expects. */
export function runScenario(s: Scenario): AnalysisResult {
  const r = run(s.fixture, s.opts, s.edit);
  const got = Object.fromEntries(r.domains.map((d) => [d.host, { health: d.health, findings: briefs(d.findings) }]));
  assert.deepStrictEqual(got, s.domains);
  if (s.namespace) {
    const ns = r.namespaces.find((n) => n.name === NS);
    assert.ok(ns, `no namespace ${NS}`);
    assert.deepStrictEqual({ health: ns.health, findings: briefs(ns.findings) }, s.namespace);
  }
  s.check?.(r);
  return r;
}

// The chain of the seed fixture: Ingress my-app -> Service my-app -> the Pods of Deployment my-app.
export const tlsNode = node(`TLS/${HOST}`);
export const svcNode = node('Service/my-app');
export const svc = ref('Service', 'my-app');
export const ing = ref('Ingress', 'my-app');
export const pod = (i: 0 | 1 | 2) => ref('Pod', POD[i]);
export const podNode = (i: 0 | 1 | 2) => node(`Pod/${POD[i]}`);

/** An edit adding a data gap. */
export const gap = (g: DataGap) => (s: Snapshot) => {
  (s.gaps ??= []).push(g);
};

/** An edit setting the probe results of the seed host. */
export const probes = (p: HostProbes) => (s: Snapshot) => {
  s.probes = { [HOST]: p };
};

/** The expected outcome of a fixture with the one domain of the seed host. */
export const one = (health: Health, ...findings: Brief[]) => ({ [HOST]: { health, findings } });
