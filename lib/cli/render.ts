/**
 * The terminal view of `chainboard check`: each domain as an indented tree from the host down to the
 * Pods, the broken parts marked, then its findings by severity with the hint to run next.
 */
import {
  SEVERITY_ORDER,
  type DomainChain,
  type EndpointNode,
  type Finding,
  type Health,
  type LinkCheck,
  type LinkHealth,
  type NamespaceSummary,
  type PodSummary,
  type RouteNode,
  type ServiceNode,
} from '../model/chain';
import { ruleByCode } from '../chain/catalogue';
import { notCheckedText, traefikCheckText } from '../model/check';
import { httpResultText } from '../model/http-text';
import type { ObjectRef } from '../model/k8s';
import { groupFindings, pluralKind } from '../model/groups';
import type { Palette } from './color';

/** Warning events shown per domain; the JSON output carries them all. */
const MAX_EVENTS = 5;

function duration(s: number): string {
  if (s < 120) return `${s}s`;
  if (s < 120 * 60) return `${Math.round(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** `15s ago`, `22m ago`, `3h ago`, `2d ago` (or `in 20s` for a time after `now`). */
export function age(iso: string | undefined, now: Date): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  const s = Math.round((now.getTime() - t) / 1000);
  return s < 0 ? `in ${duration(-s)}` : `${duration(s)} ago`;
}

/** The health word, coloured, only where something is wrong: healthy parts stay quiet. */
function mark(h: Health, p: Palette): string {
  return h === 'healthy' ? '' : `  ${p.health(h)}`;
}

/**
 * The mark of a TLS or DNS line: its health, and whether it was checked at all. An unchecked link with
 * no finding says `not checked (why)` in grey where a checked one stays quiet; one with a finding keeps
 * its health word and says it was not checked beside it.
 */
function linkMark(h: LinkHealth, check: LinkCheck, p: Palette): string {
  const unchecked = notCheckedText(check);
  if (h === 'not-checked') return `  ${p.dim(unchecked ?? 'not checked')}`;
  return `${mark(h, p)}${unchecked ? `  ${p.dim(unchecked)}` : ''}`;
}

function tlsLine(d: DomainChain, p: Palette): string {
  const t = d.tls;
  if (!t.enabled) return `TLS    not on a TLS entrypoint${linkMark(t.health, t.check, p)}`;
  const parts: string[] = [];
  switch (t.source.type) {
    case 'resolver':
      parts.push(`certificate by resolver ${t.source.resolver} (Traefik keeps it)`);
      break;
    case 'cert-manager':
      parts.push(`cert-manager issuer ${t.source.issuer}${t.source.secretName ? ` · Secret ${t.source.secretName}` : ''}`);
      break;
    case 'secret':
      parts.push(`Secret ${t.source.secretName}`);
      break;
    case 'none':
      parts.push('no certificate configured');
      break;
  }
  const c = t.secretCertificate;
  if (c) parts.push(`certificate for ${c.sans.join(', ') || c.subject}, valid until ${c.notAfter.slice(0, 10)}`);
  const probe = t.probe;
  if (probe?.status === 'ok') parts.push(`served by ${probe.target}: ${probe.trusted ? 'trusted' : `not trusted (${probe.verifyError ?? 'unverified'})`}`);
  else if (probe?.status === 'error') parts.push(`handshake with ${probe.target} failed: ${probe.errorKind}`);
  return `TLS    ${parts.join(' · ')}${linkMark(t.health, t.check, p)}`;
}

function dnsLine(d: DomainChain, p: Palette): string {
  const n = d.dns;
  const parts = [n.annotatedHostnames.length ? `external-dns ${n.annotatedHostnames.join(', ')}` : 'no external-dns hostname'];
  parts.push(n.loadBalancer.length ? `address ${n.loadBalancer.join(', ')}` : 'no address');
  const probe = n.probe;
  if (probe?.status === 'ok') parts.push(`resolves to ${[...probe.a, ...probe.aaaa, ...probe.cname].join(', ') || 'nothing'}`);
  else if (probe) parts.push(`lookup: ${probe.status}`);
  return `DNS    ${parts.join(' · ')}${linkMark(n.health, n.check, p)}`;
}

/** The HTTP checks of the domain, one per route path; a chain from before HTTP checks reads as not checked. */
function httpLine(d: DomainChain, p: Palette): string {
  const h = d.http ?? { health: 'not-checked' as const, check: { state: 'not-checked' as const, reasons: ['probes-off' as const] }, probes: [] };
  const parts = h.probes.map(httpResultText);
  return `HTTP   ${parts.join(' · ') || 'no request sent'}${linkMark(h.health, h.check, p)}`;
}

/** Traefik's routers of the domain: name, entrypoints, Middlewares; or why they were not checked. */
function traefikLine(d: DomainChain, p: Palette): string | undefined {
  const t = d.traefik;
  if (!t) return undefined;
  const routers = t.routers.map((r) => {
    const mws = r.middlewares.map((m) => (m.state === 'ok' ? m.name : `${m.name} (${m.state})`));
    const state = r.status === undefined ? '' : r.status === 'enabled' ? '' : ` ${r.status}`;
    return `${r.name}${state}${r.entryPoints.length ? ` on ${r.entryPoints.join(', ')}` : ''}${mws.length ? ` · middlewares ${mws.join(', ')}` : ''}`;
  });
  const why = traefikCheckText(t);
  const m = t.health === 'not-checked' ? `  ${p.dim(why ?? 'not checked')}` : `${mark(t.health, p)}${why ? `  ${p.dim(why)}` : ''}`;
  return `router ${routers.join('; ') || 'none'}${m}`;
}

function routeLine(r: RouteNode, p: Palette): string {
  const where = r.isDefaultBackend ? 'default backend' : `${r.path} (${r.pathType})`;
  const via = r.gateway ? ` via ${r.gateway.name}${r.gateway.listeners.length ? ` ${r.gateway.listeners.join(', ')}` : ' (no listener)'}` : '';
  return `route  ${where} · ${r.kind ?? 'Ingress'} ${r.ingress}${via}${mark(r.health, p)}`;
}

function backendLabel(r: RouteNode): string {
  const svc = r.backend.service;
  if (svc) {
    const port = svc.port?.number ?? svc.port?.name;
    return `Service ${svc.name ?? '(no name)'}${port !== undefined ? `:${port}` : ''}`;
  }
  const res = r.backend.resource;
  if (res) return `resource ${res.apiGroup ? `${res.apiGroup}/` : ''}${res.kind ?? '?'} ${res.name ?? ''}`.trimEnd();
  return 'no backend';
}

function countsText(s: ServiceNode): string {
  const c = s.counts;
  if (c.total === 0) return 'no endpoints';
  const parts = [`${c.ready} ready`];
  if (c.notReady) parts.push(`${c.notReady} not ready`);
  if (c.terminating) parts.push(`${c.terminating} terminating`);
  return `endpoints ${parts.join(', ')}`;
}

function serviceLine(r: RouteNode, p: Palette): string {
  const s = r.service;
  if (!s) {
    const missing = r.backend.service ? 'not found' : r.backend.resource ? 'not a Service' : 'missing';
    return `${backendLabel(r)}  ${p.health(r.health === 'healthy' ? 'down' : r.health, missing)}`;
  }
  if (s.type === 'ExternalName') return `Service ${s.name}  ExternalName → ${s.externalName ?? '?'}${mark(s.health, p)}`;
  if (!s.port) {
    const has = s.ports.map((sp) => (sp.name ? `${sp.port}/${sp.name}` : `${sp.port}`)).join(', ') || 'none';
    return `${backendLabel(r)}  ${p.red('no such port')} (Service ${s.name} has ${has})${mark(s.health, p)}`;
  }
  const target = s.port.targetPort ?? s.port.port;
  const selector = s.selector ? '' : ' · no selector';
  return `Service ${s.name}:${s.port.port} → ${target}  ${s.type}${selector} · ${countsText(s)}${mark(s.health, p)}`;
}

function podText(pod: PodSummary, now: Date, p: Palette): string {
  const total = pod.containers.length;
  const readyCount = pod.containers.filter((c) => c.ready).length;
  const parts = [`Pod ${pod.name}`];
  // An unscheduled Pod has no containers yet: the scheduler's reason is the telling part.
  const unscheduled = pod.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const state = `${pod.reason ?? pod.phase}${unscheduled?.reason ? ` (${unscheduled.reason})` : ''}`;
  parts.push(total ? `${state} ${readyCount}/${total}` : state);
  if (pod.restarts > 0) {
    const last = pod.containers.find((c) => c.lastTerminationReason);
    const when = age(last?.lastTerminationAt, now);
    parts.push(`${pod.restarts} restart${pod.restarts === 1 ? '' : 's'}${last ? ` (last ${last.lastTerminationReason}${when ? ` ${when}` : ''})` : ''}`);
  }
  if (pod.nodeName) parts.push(pod.nodeName);
  const text = parts.join('  ');
  return pod.health === 'healthy' ? text : p.health(pod.health, text);
}

function endpointLine(e: EndpointNode, now: Date, p: Palette): string {
  const addr = `${e.addresses[0] ?? '?'}${e.port !== undefined ? `:${e.port}` : ''}`;
  const [sym, word] = e.terminating
    ? [p.yellow('◌'), p.yellow('terminating')]
    : e.ready
      ? [p.green('✓'), 'ready      ']
      : [p.red('✗'), p.red('not ready  ')];
  const who = e.pod ? podText(e.pod, now, p) : e.targetRef ? `${e.targetRef.kind} ${e.targetRef.name} (not in the snapshot)` : '';
  return `${sym} ${addr}  ${word}  ${who}`.trimEnd();
}

/** Objects of a group named in the text output; `--json` lists them all. */
const MAX_OBJECTS = 5;

/** `Pods a, b, c, d, e and 7 more`; the namespace only where the objects are not all in one. */
export function objectsText(objects: readonly ObjectRef[]): string {
  const namespaces = new Set(objects.map((o) => o.namespace ?? ''));
  const names = objects.map((o) => (namespaces.size > 1 && o.namespace ? `${o.namespace}/${o.name}` : o.name));
  const kinds = new Set(objects.map((o) => o.kind));
  const kind = kinds.size === 1 ? objects[0]!.kind : 'objects';
  const label = kinds.size === 1 && objects.length > 1 ? pluralKind(kind) : kind;
  const more = names.length - MAX_OBJECTS;
  return `${label} ${names.slice(0, more > 0 ? MAX_OBJECTS : names.length).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * Findings by severity, identical ones as one entry (see groupFindings): the code with `×N`, the
 * message they share, the objects, and the next command of the first (worst) of them.
 */
/**
 * `because Container crash-looping: Pods a, b`: the findings a symptom names as its causes, by the title
 * of their code (the code itself is on their own entry below), so the reader goes to them and their
 * commands rather than to the symptom's evidence.
 */
function becauseText(causes: readonly string[], byId: ReadonlyMap<string, Finding>): string | undefined {
  const byCode = new Map<string, ObjectRef[]>();
  for (const id of new Set(causes)) {
    const c = byId.get(id);
    if (!c) continue;
    const objects = byCode.get(c.code) ?? [];
    objects.push(c.object);
    byCode.set(c.code, objects);
  }
  if (byCode.size === 0) return undefined;
  return `because ${[...byCode].map(([code, objects]) => `${ruleByCode(code)?.title ?? code}: ${objectsText(objects)}`).join('; ')}`;
}

function findingLines(findings: readonly Finding[], p: Palette, indent: string): string[] {
  const out: string[] = [];
  const groups = groupFindings(findings);
  const byId = new Map(findings.map((f) => [f.id, f]));
  for (const sev of SEVERITY_ORDER) {
    const inSeverity = groups.filter((g) => g.severity === sev);
    if (inSeverity.length === 0) continue;
    out.push(`${indent}${p.severity(sev, p.bold(sev))}`);
    for (const g of inSeverity) {
      const count = g.count > 1 ? ` ×${g.count}` : '';
      out.push(`${indent}  ${p.severity(sev, `${g.code}${count}`)}  ${g.message}`);
      if (g.count > 1) out.push(`${indent}    ${p.dim(objectsText(g.objects))}`);
      if (g.hint) out.push(`${indent}    ${p.dim('→')} ${g.hint}`);
      const because = becauseText(g.members.flatMap((i) => findings[i]!.causes ?? []), byId);
      if (because) out.push(`${indent}    ${p.bold(because)}`);
    }
  }
  return out;
}

/** One domain's tree, findings and newest warning events, as lines. */
export function renderDomain(d: DomainChain, now: Date, p: Palette): string[] {
  const head = `${p.health(d.health, '●')} ${p.bold(d.host)}  ${p.health(d.health, d.health)}  ${p.dim(d.namespaces.join(', '))}`;
  const router = traefikLine(d, p);
  const out = [head, `  ${tlsLine(d, p)}`, `  ${dnsLine(d, p)}`, `  ${httpLine(d, p)}`, ...(router ? [`  ${router}`] : [])];
  for (const r of d.routes) {
    out.push(`  ${routeLine(r, p)}`, `    ${serviceLine(r, p)}`);
    const s = r.service;
    if (!s) continue;
    for (const e of s.endpoints) out.push(`      ${endpointLine(e, now, p)}`);
    for (const pod of s.podsWithoutEndpoint) out.push(`      ${p.red('✗')} no endpoint  ${podText(pod, now, p)}`);
  }
  for (const g of d.gaps) out.push(`  ${p.magenta('?')} cannot read ${g.kind}${g.namespace ? ` in ${g.namespace}` : ''}: ${g.message}`);
  out.push(...findingLines(d.findings, p, '  '));
  if (d.events.length) {
    out.push(`  ${p.bold('events')}`);
    for (const e of d.events.slice(0, MAX_EVENTS)) {
      const when = age(e.lastTimestamp, now);
      const count = e.count > 1 ? ` ×${e.count}` : '';
      out.push(`    ${e.reason}${count}${when ? ` ${when}` : ''}  ${e.object.kind} ${e.object.name}: ${e.message.trim()}`);
    }
    if (d.events.length > MAX_EVENTS) out.push(`    ${p.dim(`… ${d.events.length - MAX_EVENTS} more (--json shows all)`)}`);
  }
  return out;
}

/** Findings of a namespace that belong to no domain (an Ingress without rules, a data gap). */
export function renderNamespaceFindings(ns: NamespaceSummary, p: Palette): string[] {
  if (ns.findings.length === 0) return [];
  return [`${p.health(ns.health, '●')} ${p.bold(ns.name)}  ${p.dim('findings outside any domain')}`, ...findingLines(ns.findings, p, '  ')];
}

const SUMMARY_ORDER: readonly Health[] = ['down', 'unknown', 'degraded', 'healthy'];

/** `34 domains in 7 namespaces: 11 down, 10 degraded, 13 healthy` (zero counts left out). */
export function renderSummary(domains: readonly DomainChain[], p: Palette): string {
  const namespaces = new Set(domains.map((d) => d.namespace)).size;
  const counts = SUMMARY_ORDER.map((h) => [h, domains.filter((d) => d.health === h).length] as const).filter(([, n]) => n > 0);
  const what = `${domains.length} domain${domains.length === 1 ? '' : 's'} in ${namespaces} namespace${namespaces === 1 ? '' : 's'}`;
  return `${p.bold(what)}: ${counts.map(([h, n]) => p.health(h, `${n} ${h}`)).join(', ')}`;
}
