/**
 * Pods: each Pod of a chain summarised as the chain shows it, with its one finding (the most specific
 * pod rule that matches). A Pod is analysed once per namespace, however many endpoints and Services
 * lead to it.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 */
import type { ContainerSummary, Finding, PodSummary } from '../../model/chain';
import { severityHealth } from '../../model/health';
import { nodeId } from '../../model/ids';
import type { ContainerStatus, SlimPod } from '../../model/k8s';
import type { NsContext } from '../context';
import { obviouslyHealthy } from '../rules/pod';
import { podFindings } from './findings';

function containerSummary(c: ContainerStatus, image: string | undefined): ContainerSummary {
  const st = c.state;
  const state: ContainerSummary['state'] = st?.running ? 'running' : st?.waiting ? 'waiting' : st?.terminated ? 'terminated' : 'unknown';
  const reason = st?.waiting?.reason ?? st?.terminated?.reason;
  const message = st?.waiting?.message ?? st?.terminated?.message;
  const last = c.lastState?.terminated;
  const out: ContainerSummary = { name: c.name, ready: c.ready, restartCount: c.restartCount, state };
  if (image ?? c.image) out.image = image ?? c.image;
  if (reason) out.reason = reason;
  if (message) out.message = message;
  if (last?.reason) out.lastTerminationReason = last.reason;
  if (last?.exitCode !== undefined) out.lastTerminationExitCode = last.exitCode;
  if (last?.finishedAt) out.lastTerminationAt = last.finishedAt;
  return out;
}

/** The most telling one-word reason, as `kubectl get pods` would show it. */
function podReason(p: SlimPod): string {
  // A failed Pod's own reason (Evicted, DeadlineExceeded) says more than its containers'.
  if (p.status?.phase === 'Failed' && p.status.reason) return p.status.reason;
  const r = containerReason(p.status?.initContainerStatuses) ?? containerReason(p.status?.containerStatuses);
  if (r) return r;
  if (p.status?.reason) return p.status.reason;
  if (p.metadata.deletionTimestamp) return 'Terminating';
  return p.status?.phase ?? 'Unknown';
}

function containerReason(statuses: ContainerStatus[] | undefined): string | undefined {
  if (!statuses) return undefined;
  for (const c of statuses) {
    if (c.ready) continue;
    const t = c.state?.terminated?.reason;
    const r = c.state?.waiting?.reason ?? (t !== 'Completed' ? t : undefined);
    if (r) return r;
  }
  return undefined;
}

export interface PodResult {
  summary: PodSummary;
  /** At most one: the Pod's health is that finding's severity. */
  findings: Finding[];
}

/** Shared by the (many) Pods without findings; never mutated. */
const NO_FINDINGS: Finding[] = [];

/** Summarise a Pod and judge it by the pod rules; most Pods are plainly healthy and skip them. */
export function analyzePod(pod: SlimPod, ctx: NsContext): PodResult {
  const name = pod.metadata.name;
  const findings = obviouslyHealthy(pod) ? NO_FINDINGS : podFindings(ctx, pod);
  const specs = pod.spec?.containers ?? [];
  const statuses = pod.status?.containerStatuses ?? [];
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  const summary: PodSummary = {
    id: nodeId.pod(name),
    name,
    phase: pod.status?.phase ?? 'Unknown',
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    reason: podReason(pod),
    restarts: statuses.reduce((n, c) => n + c.restartCount, 0),
    deleting: pod.metadata.deletionTimestamp !== undefined,
    conditions: pod.status?.conditions ?? [],
    containers: statuses.map((c) => containerSummary(c, specs.find((x) => x.name === c.name)?.image)),
    health: severityHealth(findings[0]?.severity),
  };
  if (pod.spec?.nodeName) summary.nodeName = pod.spec.nodeName;
  if (pod.status?.podIP) summary.podIP = pod.status.podIP;
  if (pod.status?.startTime) summary.startTime = pod.status.startTime;
  if (owner) summary.owner = `${owner.kind}/${owner.name}`;
  return { summary, findings };
}

/** The namespace's Pods, each analysed the first time a chain reaches it. */
export class PodCache {
  private readonly results = new Map<string, PodResult>();

  constructor(private readonly ctx: NsContext) {}

  /** The Pod of that name, analysed; undefined when the namespace has no such Pod. */
  get(name: string): PodResult | undefined {
    const cached = this.results.get(name);
    if (cached) return cached;
    const p = this.ctx.pods.get(name);
    if (!p) return undefined;
    const r = analyzePod(p, this.ctx);
    this.results.set(name, r);
    return r;
  }

  /** The Pods analysed so far: those some chain reaches. */
  analysed(): PodResult[] {
    return [...this.results.values()];
  }
}
