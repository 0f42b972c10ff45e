/**
 * Events: the Warning events about the objects of a chain, and the one order every event list has -
 * newest first, equal times in the order given. Raw events are given in name order, so a namespace's
 * domain lists equal times by event name; a merged domain gives its namespaces' lists in namespace order.
 */
import type { EventSummary, ServiceNode } from '../../model/chain';
import type { ObjectRef, SlimEvent } from '../../model/k8s';
import { eventNamespace } from '../context';

/** Warning events by the kind, then the name, of the object they are about. */
export type EventIndex = ReadonlyMap<string, ReadonlyMap<string, readonly SlimEvent[]>>;

export function indexEvents(events: readonly SlimEvent[]): EventIndex {
  const byKind = new Map<string, Map<string, SlimEvent[]>>();
  for (const e of events) {
    const kind = e.involvedObject.kind ?? '';
    let byName = byKind.get(kind);
    if (!byName) byKind.set(kind, (byName = new Map()));
    const name = e.involvedObject.name ?? '';
    const list = byName.get(name);
    if (list) list.push(e);
    else byName.set(name, [e]);
  }
  return byKind;
}

/** What a route of a domain touches, as far as events go. */
export interface RouteObjects {
  ingress: string;
  service?: ServiceNode;
  /** The EndpointSlices that serve the route's Service port. */
  slices: readonly string[];
}

/**
 * The events about a domain's objects, route by route: the Ingress, the Service, its EndpointSlices and
 * the Pods (with an endpoint, then without); each object's events once.
 */
export function domainEvents(index: EventIndex, routes: readonly RouteObjects[]): SlimEvent[] {
  const out: SlimEvent[] = [];
  if (index.size === 0) return out;
  const seen = new Set<readonly SlimEvent[]>();
  const about = (kind: string, name: string) => {
    const list = index.get(kind)?.get(name);
    if (list && !seen.has(list)) (seen.add(list), out.push(...list));
  };
  for (const r of routes) {
    about('Ingress', r.ingress);
    const svc = r.service;
    if (!svc) continue;
    about('Service', svc.name);
    for (const s of r.slices) about('EndpointSlice', s);
    for (const e of svc.endpoints) if (e.pod) about('Pod', e.pod.name);
    for (const p of svc.podsWithoutEndpoint) about('Pod', p.name);
  }
  return out;
}

const eventTime = (e: SlimEvent) => e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '';

/**
 * The one order of events: newest first, equal times (and times that do not parse, as the oldest) in the
 * order given; the first `max`. RFC 3339 times compare as strings only when formatted alike, so parse.
 */
export function newestFirst<T>(items: readonly T[], time: (x: T) => string | undefined, max: number): T[] {
  // Most domains have no events at all: nothing to order.
  if (items.length <= 1) return items.slice(0, max);
  return items
    .map((item) => ({ item, t: Date.parse(time(item) ?? '') || 0 }))
    .sort((a, b) => b.t - a.t)
    .slice(0, max)
    .map((x) => x.item);
}

const byName = (a: SlimEvent, b: SlimEvent) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

function eventSummary(e: SlimEvent): EventSummary {
  const io = e.involvedObject;
  const ns = eventNamespace(e);
  const object: ObjectRef = ns ? { kind: io.kind ?? '', namespace: ns, name: io.name ?? '' } : { kind: io.kind ?? '', name: io.name ?? '' };
  const out: EventSummary = { object, type: e.type ?? 'Warning', reason: e.reason ?? '', message: e.message ?? '', count: e.count ?? 1 };
  const t = eventTime(e);
  if (t) out.lastTimestamp = t;
  return out;
}

/** The latest `max` of some events, summarised, in the one order (equal times by event name). */
export function latestEvents(events: readonly SlimEvent[], max: number): EventSummary[] {
  return newestFirst(events.length > 1 ? [...events].sort(byName) : events, eventTime, max).map(eventSummary);
}

/** The latest `max` of summaries gathered from several lists, in the one order. */
export function latestSummaries(events: readonly EventSummary[], max: number): EventSummary[] {
  return newestFirst(events, (e) => e.lastTimestamp, max);
}
