/**
 * Test helpers (test code only): load the fixtures through the dump parser, run the analysis (or index
 * one namespace for a step) at a fixed `now`, and build the expected findings in the compact
 * `{ code, severity, object, link }` form.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDump } from '../../cluster/dump';
import type { AnalysisResult, ChainLink, DomainChain, Finding, Severity } from '../../model/chain';
import type { ObjectRef } from '../../model/k8s';
import type { Snapshot } from '../../model/snapshot';
import { buildNsContext, type NsContext } from '../context';
import { analyze, type AnalyzeOptions } from '../index';
import { resolveOptions } from '../options';

/** The moment every fixture is written against. */
export const NOW = new Date('2025-06-01T12:00:00Z');
export const NS = 'hst-my-client';
export const HOST = 'app.my-client.junovy.com';
/** The Pods of the `my-app` Deployment in the fixtures, by replica index. */
export const POD = ['my-app-mjclgjsw9x-94vkm', 'my-app-mjclgjsw9x-xjjzn', 'my-app-mjclgjsw9x-t8np8'] as const;

const DIR = __dirname;

export function fixtureNames(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** A fixture's snapshot; fails the test if any document does not parse. */
export function load(name: string): Snapshot {
  const file = join(DIR, `${name}.yaml`);
  const { snapshot, errors } = parseDump(readFileSync(file, 'utf8'), file);
  assert.deepEqual(errors, [], `fixture ${name} has bad documents`);
  return snapshot;
}

export function run(name: string, opts: Partial<AnalyzeOptions> = {}, edit?: (s: Snapshot) => void): AnalysisResult {
  const s = load(name);
  edit?.(s);
  return analyze(s, { now: NOW, ...opts });
}

/** The index of one namespace of a fixture (default `hst-my-client`), as the steps read it. */
export function context(name: string, edit?: (s: Snapshot) => void, ns: string = NS, opts: Partial<AnalyzeOptions> = {}): NsContext {
  const s = load(name);
  edit?.(s);
  return buildNsContext(s, ns, resolveOptions({ now: NOW, ...opts }));
}

/** The one domain of a result (most fixtures have exactly one). */
export function onlyDomain(r: AnalysisResult): DomainChain {
  assert.equal(r.domains.length, 1, `expected one domain, got ${r.domains.map((d) => d.host).join(', ')}`);
  return r.domains[0]!;
}

export function domainOf(r: AnalysisResult, host: string): DomainChain {
  const d = r.domains.find((x) => x.host === host);
  assert.ok(d, `no domain ${host}`);
  return d;
}

export interface Brief {
  code: string;
  severity: Severity;
  object: ObjectRef;
  link: ChainLink;
}

export const brief = (f: Finding): Brief => ({ code: f.code, severity: f.severity, object: f.object, link: f.link });
export const briefs = (fs: Finding[]) => fs.map(brief);
export const node = (id: string): ChainLink => ({ type: 'node', id });
export const edge = (from: string, to: string): ChainLink => ({ type: 'edge', from, to });
export const ref = (kind: string, name: string, namespace: string = NS): ObjectRef => ({ kind, namespace, name });
export const f = (code: string, severity: Severity, object: ObjectRef, link: ChainLink): Brief => ({ code, severity, object, link });

/** The info every Traefik-resolver fixture carries. */
export const resolverInfo = (ingress = 'my-app', host = HOST, ns = NS) =>
  f('tls.managed-by-resolver', 'info', ref('Ingress', ingress, ns), node(`TLS/${host}`));
