/**
 * Pod rules. Each is a warning: one Pod rarely takes a domain down on its own; the Service-level
 * finding (no ready endpoints) carries the critical. A Pod has at most one finding, the most specific:
 * the rules are ordered most specific first, and each is suppressed by every rule before it.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 */
import type { ContainerStatus, SlimPod } from '../../model/k8s';
import { kubectl, timeMs, type NsContext } from '../context';
import type { Rule } from './types';

export interface PodSubject {
  pod: SlimPod;
  /** Init containers first, then app containers. */
  statuses: { status: ContainerStatus; init: boolean }[];
}

export function podSubject(pod: SlimPod): PodSubject {
  return {
    pod,
    statuses: [
      ...(pod.status?.initContainerStatuses ?? []).map((status) => ({ status, init: true })),
      ...(pod.status?.containerStatuses ?? []).map((status) => ({ status, init: false })),
    ],
  };
}

type PodRule = Rule<PodSubject, NsContext>;

/**
 * True when no pod rule can match: Running, Ready, not deleting, no container ever restarted or waiting.
 * Most Pods are like this; skipping the rules for them keeps 50,000 Pods cheap.
 */
export function obviouslyHealthy(pod: SlimPod): boolean {
  const st = pod.status;
  if (pod.metadata.deletionTimestamp !== undefined || st?.phase !== 'Running') return false;
  if (!st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return false;
  const calm = (c: ContainerStatus) => c.restartCount === 0 && !c.state?.waiting && c.state?.terminated?.reason !== 'OOMKilled';
  return (st.containerStatuses ?? []).every(calm) && (st.initContainerStatuses ?? []).every(calm);
}

const name = (s: PodSubject) => s.pod.metadata.name;
const describe = (s: PodSubject, ctx: NsContext) => `${kubectl(ctx.ns)} describe pod ${name(s)}`;
const cLabel = (c: { status: ContainerStatus; init: boolean }) => `${c.init ? 'init container' : 'container'} ${c.status.name}`;
const deleting = (s: PodSubject) => s.pod.metadata.deletionTimestamp !== undefined;
const waitingWith = (s: PodSubject, reasons: ReadonlySet<string>) =>
  s.statuses.filter((c) => c.status.state?.waiting?.reason !== undefined && reasons.has(c.status.state.waiting.reason));
const withMessage = (m: string | undefined) => (m?.trim() ? `: ${m.trim()}` : '');
const readyCondition = (p: SlimPod) => p.status?.conditions?.find((c) => c.type === 'Ready');

const podsText = (n: number) => `${n} Pod${n === 1 ? '' : 's'}`;

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff']);
const CONFIG_ERROR = new Set(['CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName']);
const CRASH_LOOP = new Set(['CrashLoopBackOff']);

/** When the container last restarted: its last termination's end. */
const lastRestartMs = (c: ContainerStatus) => timeMs(c.lastState?.terminated?.finishedAt);

/**
 * When a Failed Pod failed: the latest of its containers' terminations and of its Ready and
 * DisruptionTarget (eviction) conditions' transitions; NaN when it records none.
 */
export function failedAtMs(pod: SlimPod): number {
  let at = NaN;
  const later = (t: string | undefined) => {
    const ms = timeMs(t);
    if (!Number.isNaN(ms) && !(ms <= at)) at = ms;
  };
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) later(c.state?.terminated?.finishedAt);
  for (const c of pod.status?.conditions ?? []) if (c.type === 'Ready' || c.type === 'DisruptionTarget') later(c.lastTransitionTime);
  return at;
}

/**
 * The workload a Pod belongs to: its controller, and for a ReplicaSet the Deployment it is named after
 * (`<deployment>-<pod-template-hash>`), so the Pods of an old ReplicaSet and of the new one are one
 * workload. Undefined for a Pod no controller owns.
 */
export function workloadOf(pod: SlimPod): string | undefined {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return undefined;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) return `Deployment/${owner.name.slice(0, -hash.length - 1)}`;
  return `${owner.kind}/${owner.name}`;
}

const isServing = (p: SlimPod) =>
  p.metadata.deletionTimestamp === undefined && p.status?.phase === 'Running' && (p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/** What a leftover Failed Pod is judged against, built once per namespace on the first Failed Pod. */
interface Leftovers {
  /** Ready Pods per workload. */
  ready: Map<string, number>;
  /** Pods some EndpointSlice endpoint points at. */
  behindEndpoint: Set<string>;
}
const leftoverIndex = new WeakMap<NsContext, Leftovers>();
function leftovers(ctx: NsContext): Leftovers {
  let idx = leftoverIndex.get(ctx);
  if (idx) return idx;
  const ready = new Map<string, number>();
  for (const p of ctx.pods.values()) {
    const w = isServing(p) ? workloadOf(p) : undefined;
    if (w) ready.set(w, (ready.get(w) ?? 0) + 1);
  }
  const behindEndpoint = new Set<string>();
  for (const slices of ctx.slicesByService.values()) {
    for (const sl of slices) for (const e of sl.endpoints ?? []) if (e.targetRef?.name && (e.targetRef.kind ?? 'Pod') === 'Pod') behindEndpoint.add(e.targetRef.name);
  }
  idx = { ready, behindEndpoint };
  leftoverIndex.set(ctx, idx);
  return idx;
}

/**
 * A Failed Pod that is only a leftover: it failed longer ago than the restart window, no endpoint points
 * at it, and Ready Pods of its workload have replaced it. Failed is final (the Pod never runs again) and
 * the workload's present state is judged by its own Pods and the Service, so a leftover says nothing
 * about the domain's health: kubelet evictions and old ReplicaSets leave them behind until someone
 * deletes them. Returns the workload and its Ready Pods, or undefined when the Pod is not a leftover.
 */
function leftover(pod: SlimPod, ctx: NsContext): { workload: string; ready: number; failedAt: number } | undefined {
  const failedAt = failedAtMs(pod);
  if (Number.isNaN(failedAt) || ctx.opts.nowMs - failedAt <= ctx.opts.restartWarningWindowMs) return undefined;
  const workload = workloadOf(pod);
  if (!workload) return undefined;
  const idx = leftovers(ctx);
  const ready = idx.ready.get(workload) ?? 0;
  if (ready === 0 || idx.behindEndpoint.has(pod.metadata.name)) return undefined;
  return { workload, ready, failedAt };
}

/** `3h`, `2d`: how long ago, coarse. */
function agoText(ms: number): string {
  const h = ms / 3_600_000;
  return h < 48 ? `${Math.max(1, Math.round(h))}h` : `${Math.round(h / 24)}d`;
}

export const POD_RULES: readonly PodRule[] = [
  {
    code: 'pod.terminating-stuck',
    severity: 'warning',
    family: 'pod',
    title: 'Pod stuck terminating',
    description:
      'The Pod still exists more than 5 minutes (configurable) after its deletionTimestamp, which is the delete request plus the grace period: a finalizer or an unreachable node holds it.',
    hint: 'kubectl -n NS get pod POD -o yaml  (look at metadata.finalizers and the node)',
    check(s, ctx) {
      const del = timeMs(s.pod.metadata.deletionTimestamp);
      if (Number.isNaN(del)) return;
      const late = ctx.opts.nowMs - del;
      if (late <= ctx.opts.terminatingStuckAfterMs) return;
      const node = s.pod.spec?.nodeName ? ` on node ${s.pod.spec.nodeName}` : '';
      return {
        message: `Pod ${name(s)}${node} was due to be gone at ${s.pod.metadata.deletionTimestamp} and still exists ${Math.round(late / 60000)} min later`,
        hint: `${kubectl(ctx.ns)} get pod ${name(s)} -o yaml`,
      };
    },
  },
  {
    code: 'pod.failed',
    severity: 'warning',
    family: 'pod',
    title: 'Pod failed',
    description: 'The Pod is in phase Failed (evicted, or all containers exited with an error and will not restart).',
    alsoSeverity: {
      severity: 'info',
      when:
        'the Pod is a leftover: it failed more than the restart window (1 hour) ago, no endpoint points at it and Ready Pods of its workload (the same Deployment, old ReplicaSet or new) replace it; the hint is then the clean-up command',
    },
    hint: 'kubectl -n NS describe pod POD',
    suppressedBy: ['pod.terminating-stuck'],
    check(s, ctx) {
      if (deleting(s) || s.pod.status?.phase !== 'Failed') return;
      const reason = s.pod.status.reason ? ` (${s.pod.status.reason})` : '';
      const left = leftover(s.pod, ctx);
      if (left) {
        return {
          severity: 'info',
          message: `Pod ${name(s)} failed${reason} ${agoText(ctx.opts.nowMs - left.failedAt)} ago${withMessage(s.pod.status.message)}; a leftover: no endpoint points at it and ${left.workload.replace('/', ' ')} has ${podsText(left.ready)} Ready`,
          hint: `${kubectl(ctx.ns)} delete pod ${name(s)}`,
        };
      }
      return { message: `Pod ${name(s)} failed${reason}${withMessage(s.pod.status.message)}`, hint: describe(s, ctx) };
    },
  },
  {
    code: 'pod.image-pull',
    severity: 'warning',
    family: 'pod',
    title: 'Image cannot be pulled',
    description: 'A container waits with ErrImagePull or ImagePullBackOff: wrong image name or tag, or missing pull credentials.',
    hint: 'kubectl -n NS describe pod POD',
    suppressedBy: ['pod.terminating-stuck', 'pod.failed'],
    check(s, ctx) {
      if (deleting(s)) return;
      const c = waitingWith(s, IMAGE_PULL)[0];
      if (!c) return;
      const image = c.status.image ? ` ${c.status.image}` : '';
      return {
        message: `Pod ${name(s)}: ${cLabel(c)} cannot pull image${image} (${c.status.state?.waiting?.reason})${withMessage(c.status.state?.waiting?.message)}`,
        hint: describe(s, ctx),
      };
    },
  },
  {
    code: 'pod.config-error',
    severity: 'warning',
    family: 'pod',
    title: 'Container cannot be created',
    description:
      'A container waits with CreateContainerConfigError (a missing ConfigMap or Secret key), CreateContainerError or InvalidImageName.',
    hint: 'kubectl -n NS describe pod POD',
    suppressedBy: ['pod.terminating-stuck', 'pod.failed', 'pod.image-pull'],
    check(s, ctx) {
      if (deleting(s)) return;
      const c = waitingWith(s, CONFIG_ERROR)[0];
      if (!c) return;
      return {
        message: `Pod ${name(s)}: ${cLabel(c)} cannot be created (${c.status.state?.waiting?.reason})${withMessage(c.status.state?.waiting?.message)}`,
        hint: describe(s, ctx),
      };
    },
  },
  {
    code: 'pod.oom-killed',
    severity: 'warning',
    family: 'pod',
    title: 'Container killed for memory',
    description:
      'A container was last terminated with OOMKilled, recently (within the restart window) or it is not ready since: its memory limit is too low or it leaks.',
    hint: 'kubectl -n NS logs POD -c CONTAINER --previous',
    suppressedBy: ['pod.terminating-stuck', 'pod.failed', 'pod.image-pull', 'pod.config-error'],
    check(s, ctx) {
      if (deleting(s)) return;
      for (const c of s.statuses) {
        const current = c.status.state?.terminated?.reason === 'OOMKilled';
        const last = c.status.lastState?.terminated?.reason === 'OOMKilled';
        if (!current && !last) continue;
        const at = current ? c.status.state?.terminated?.finishedAt : c.status.lastState?.terminated?.finishedAt;
        const recent = ctx.opts.nowMs - timeMs(at) <= ctx.opts.restartWarningWindowMs;
        if (!current && !recent && c.status.ready) continue;
        return {
          message: `Pod ${name(s)}: ${cLabel(c)} was OOMKilled${at ? ` at ${at}` : ''} (${c.status.restartCount} restarts)`,
          hint: `${kubectl(ctx.ns)} logs ${name(s)} -c ${c.status.name} --previous`,
        };
      }
    },
  },
  {
    code: 'pod.crash-loop',
    severity: 'warning',
    family: 'pod',
    title: 'Container crash-looping',
    description: 'A container waits in CrashLoopBackOff: it keeps exiting and the kubelet backs off restarting it.',
    hint: 'kubectl -n NS logs POD -c CONTAINER --previous',
    suppressedBy: ['pod.terminating-stuck', 'pod.failed', 'pod.image-pull', 'pod.config-error', 'pod.oom-killed'],
    check(s, ctx) {
      if (deleting(s)) return;
      const c = waitingWith(s, CRASH_LOOP)[0];
      if (!c) return;
      const t = c.status.lastState?.terminated;
      const exit = t ? `; last exit code ${t.exitCode ?? '?'}${t.reason ? ` (${t.reason})` : ''}` : '';
      return {
        message: `Pod ${name(s)}: ${cLabel(c)} is in CrashLoopBackOff after ${c.status.restartCount} restarts${exit}`,
        hint: `${kubectl(ctx.ns)} logs ${name(s)} -c ${c.status.name} --previous`,
      };
    },
  },
  {
    code: 'pod.pending',
    severity: 'warning',
    family: 'pod',
    title: 'Pod pending',
    description: "The Pod is in phase Pending: not scheduled (the scheduler's reason is shown) or its containers are not started yet.",
    hint: 'kubectl -n NS describe pod POD',
    suppressedBy: ['pod.terminating-stuck', 'pod.failed', 'pod.image-pull', 'pod.config-error', 'pod.oom-killed', 'pod.crash-loop'],
    check(s, ctx) {
      if (deleting(s) || s.pod.status?.phase !== 'Pending') return;
      const sched = s.pod.status.conditions?.find((c) => c.type === 'PodScheduled');
      let why: string;
      if (sched && sched.status !== 'True') why = `not scheduled (${sched.reason ?? 'no reason'})${withMessage(sched.message)}`;
      else {
        const w = s.statuses.find((c) => c.status.state?.waiting)?.status.state?.waiting;
        why = w ? `scheduled, containers waiting (${w.reason ?? 'no reason'})${withMessage(w.message)}` : 'scheduled, containers not started';
      }
      return { message: `Pod ${name(s)} is Pending: ${why}`, hint: describe(s, ctx) };
    },
  },
  {
    code: 'pod.not-ready',
    severity: 'warning',
    family: 'pod',
    title: 'Pod running but not ready',
    description: 'The Pod runs but its Ready condition is False: a readiness probe fails, so it receives no traffic.',
    hint: 'kubectl -n NS describe pod POD  (readiness probe events)',
    suppressedBy: ['pod.terminating-stuck', 'pod.failed', 'pod.image-pull', 'pod.config-error', 'pod.oom-killed', 'pod.crash-loop', 'pod.pending'],
    check(s, ctx) {
      if (deleting(s) || s.pod.status?.phase !== 'Running') return;
      const ready = readyCondition(s.pod);
      if (!ready || ready.status === 'True') return;
      const notReady = s.statuses.filter((c) => !c.init && !c.status.ready).map((c) => c.status.name);
      const which = notReady.length ? `; containers not ready: ${notReady.join(', ')}` : '';
      return {
        message: `Pod ${name(s)} is Running but not Ready (${ready.reason ?? 'Ready=False'})${which}`,
        hint: describe(s, ctx),
      };
    },
  },
  {
    code: 'pod.restarting',
    severity: 'warning',
    family: 'pod',
    title: 'Container restarted recently',
    description: 'A container restarted and the last restart is within the window (default 1 hour).',
    hint: 'kubectl -n NS logs POD -c CONTAINER --previous',
    suppressedBy: ['pod.terminating-stuck', 'pod.failed', 'pod.image-pull', 'pod.config-error', 'pod.oom-killed', 'pod.crash-loop', 'pod.pending', 'pod.not-ready'],
    check(s, ctx) {
      if (deleting(s)) return;
      let worst: { c: ContainerStatus; at: number } | undefined;
      for (const { status: c } of s.statuses) {
        if (c.restartCount <= 0) continue;
        const at = lastRestartMs(c);
        if (Number.isNaN(at) || ctx.opts.nowMs - at > ctx.opts.restartWarningWindowMs) continue;
        if (!worst || at > worst.at) worst = { c, at };
      }
      if (!worst) return;
      const t = worst.c.lastState?.terminated;
      return {
        message: `Pod ${name(s)}: container ${worst.c.name} restarted ${worst.c.restartCount} times, last at ${t?.finishedAt} (exit code ${t?.exitCode ?? '?'}${t?.reason ? `, ${t.reason}` : ''})`,
        hint: `${kubectl(ctx.ns)} logs ${name(s)} -c ${worst.c.name} --previous`,
      };
    },
  },
];
