/**
 * Pods and EndpointSlices change all the time (restarts, probes, a rescheduled Pod), so history keeps only
 * what explains an incident:
 *
 * - Pods: rollouts and scaling to or from zero. Pods are counted per workload (a ReplicaSet's Pods count
 *   for its Deployment) and per revision (`pod-template-hash`, `controller-revision-hash`, else the images).
 *   The first Pod of a new revision while Pods of another run is one rollout; the last Pod of a workload
 *   going is `replicas N -> 0`; the first coming back is `replicas 0 -> 1`. A Pod whose own images change
 *   (a bare Pod patched in place) is an image change. Status never counts.
 * - EndpointSlices: the ready endpoints of a Service (over all its slices) going to 0 or from 0.
 *
 * Both are fed every event from the first list on, so they know the cluster before anything is recorded;
 * `emit` false only updates the counts.
 */
import type { SlimEndpointSlice, SlimPod } from '../model/k8s';
import type { CacheChange } from '../cluster/reducer';
import { workloadOf } from './chain-index';

export interface WorkloadEvent {
  namespace: string;
  /** The Pod or EndpointSlice the event is about. */
  name: string;
  action: 'added' | 'modified' | 'deleted';
  lines: string[];
  /** The Pod's labels (helm release, Service selectors). */
  labels?: Record<string, string>;
  owner?: { kind: string; name: string };
  /** For EndpointSlices: the Service they belong to. */
  service?: string;
}

const controllerOf = (p: SlimPod) => {
  const refs = p.metadata.ownerReferences;
  return refs?.find((r) => r.controller) ?? refs?.[0];
};

/** Container name -> image, in spec order. */
const imagesOf = (p: SlimPod): [string, string][] => (p.spec?.containers ?? []).map((c) => [c.name, c.image ?? '?']);

function revisionOf(p: SlimPod, owner: { kind: string; name: string }): string {
  const l = p.metadata.labels;
  const hash = l?.['pod-template-hash'] ?? l?.['controller-revision-hash'];
  if (hash) return hash;
  if (owner.kind === 'ReplicaSet') return owner.name.slice(owner.name.lastIndexOf('-') + 1);
  return imagesOf(p).map(([, i]) => i).join(',');
}

function imageLines(a: [string, string][], b: [string, string][]): string[] {
  const old = new Map(a);
  const lines: string[] = [];
  for (const [name, image] of b) {
    const was = old.get(name);
    if (was !== undefined && was !== image) lines.push(b.length > 1 ? `image ${was} -> ${image} (${name})` : `image ${was} -> ${image}`);
    if (was === undefined) lines.push(`container added ${name} ${image}`);
  }
  return lines;
}

interface Revision {
  count: number;
  images: [string, string][];
}

interface WorkloadState {
  revisions: Map<string, Revision>;
  total: number;
  /** The most Pods seen at once since the last recorded event. */
  peak: number;
  /** The revision of the last Pod seen, kept at zero Pods for `replicas 0 -> 1`. */
  last?: string;
  lastImages?: [string, string][];
}

export class PodTracker {
  private readonly workloads = new Map<string, WorkloadState>();

  observe(c: CacheChange<SlimPod>, emit: boolean): WorkloadEvent | undefined {
    if (c.type === 'added') return this.add(c.object, emit);
    if (c.type === 'deleted') return this.remove(c.object, emit);
    const prev = c.previous;
    if (!prev) return this.add(c.object, emit);
    const a = imagesOf(prev);
    const b = imagesOf(c.object);
    const owner = controllerOf(c.object);
    const same = a.length === b.length && a.every(([n, i], k) => b[k]![0] === n && b[k]![1] === i);
    if (same && (!owner || revisionOf(prev, owner) === revisionOf(c.object, owner))) return undefined;
    // Moved to another revision in place: count it there, without reading it as a scale event.
    this.remove(prev, false);
    this.add(c.object, false);
    if (!emit || same) return undefined;
    return { namespace: c.namespace, name: c.name, action: 'modified', lines: imageLines(a, b), labels: c.object.metadata.labels, owner: owner && { kind: owner.kind, name: owner.name } };
  }

  private key(p: SlimPod, owner: { kind: string; name: string }) {
    return `${p.metadata.namespace ?? ''}/${owner.kind === 'ReplicaSet' ? 'Deployment' : owner.kind}/${workloadOf(owner.kind, owner.name)}`;
  }

  private add(p: SlimPod, emit: boolean): WorkloadEvent | undefined {
    const owner = controllerOf(p);
    if (!owner) return undefined;
    const key = this.key(p, owner);
    let st = this.workloads.get(key);
    if (!st) this.workloads.set(key, (st = { revisions: new Map(), total: 0, peak: 0 }));
    const rev = revisionOf(p, owner);
    const images = imagesOf(p);
    let r = st.revisions.get(rev);
    const fresh = !r || r.count === 0;
    let lines: string[] = [];
    const workload = workloadOf(owner.kind, owner.name);
    if (st.total === 0 && st.last !== undefined) {
      lines.push(`replicas ${workload} 0 -> 1`);
      if (st.last !== rev) lines.push(`rollout ${workload} ${st.last} -> ${rev}`, ...imageLines(st.lastImages ?? [], images));
    } else if (fresh && st.total > 0) {
      let from: [string, Revision] | undefined;
      for (const e of st.revisions) if (e[0] !== rev && e[1].count > 0 && (!from || e[1].count > from[1].count)) from = e;
      if (from) lines = [`rollout ${workload} ${from[0]} -> ${rev}`, ...imageLines(from[1].images, images)];
    }
    if (!r) st.revisions.set(rev, (r = { count: 0, images }));
    r.count++;
    st.total++;
    st.last = rev;
    st.lastImages = images;
    if (lines.length) st.peak = st.total;
    else st.peak = Math.max(st.peak, st.total);
    if (!emit || !lines.length) return undefined;
    return { namespace: p.metadata.namespace ?? '', name: p.metadata.name, action: 'added', lines, labels: p.metadata.labels, owner: { kind: owner.kind, name: owner.name } };
  }

  private remove(p: SlimPod, emit: boolean): WorkloadEvent | undefined {
    const owner = controllerOf(p);
    if (!owner) return undefined;
    const key = this.key(p, owner);
    const st = this.workloads.get(key);
    const r = st?.revisions.get(revisionOf(p, owner));
    if (!st || !r || r.count === 0) return undefined;
    r.count--;
    st.total--;
    if (r.count === 0) st.revisions.delete(revisionOf(p, owner));
    if (st.total > 0) return undefined;
    const peak = st.peak;
    st.peak = 0;
    st.last = revisionOf(p, owner);
    st.lastImages = imagesOf(p);
    if (!emit) return undefined;
    const lines = [`replicas ${workloadOf(owner.kind, owner.name)} ${Math.max(peak, 1)} -> 0`];
    return { namespace: p.metadata.namespace ?? '', name: p.metadata.name, action: 'deleted', lines, labels: p.metadata.labels, owner: { kind: owner.kind, name: owner.name } };
  }
}

/** Endpoints that count as ready: an unset `ready` is ready, as the API says. */
const readyCount = (s: SlimEndpointSlice) => {
  let n = 0;
  for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false) n++;
  return n;
};

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export class SliceTracker {
  /** `ns/service` -> slice name -> ready endpoints. */
  private readonly services = new Map<string, Map<string, number>>();

  observe(c: CacheChange<SlimEndpointSlice>, emit: boolean): WorkloadEvent | undefined {
    const service = c.object.metadata.labels?.[SERVICE_NAME_LABEL] ?? c.previous?.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service) return undefined;
    const key = `${c.namespace}/${service}`;
    let slices = this.services.get(key);
    if (!slices) this.services.set(key, (slices = new Map()));
    let before = 0;
    for (const n of slices.values()) before += n;
    if (c.type === 'deleted') slices.delete(c.name);
    else slices.set(c.name, readyCount(c.object));
    let after = 0;
    for (const n of slices.values()) after += n;
    if (slices.size === 0) this.services.delete(key);
    if (!emit || (before === 0) === (after === 0)) return undefined;
    return { namespace: c.namespace, name: c.name, action: c.type, lines: [`ready endpoints of ${service} ${before} -> ${after}`], service };
  }
}
