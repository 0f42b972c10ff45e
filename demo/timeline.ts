/**
 * Timeline mode: a scripted story that changes the demo cluster every few seconds so live updates are
 * visible. Each step changes Pods, EndpointSlices, Events (and Deployments/ReplicaSets when the data has
 * them) together, in the order the real controllers do:
 *
 * 1. a rollout: new Pods start (Pending, then Running but not Ready, then Ready - their endpoints appear
 *    not-ready, then ready), old Pods terminate (endpoints `terminating`, still `serving`), then go away;
 * 2. a Pod falls into CrashLoopBackOff (endpoint not ready, Warning `BackOff` events counting up) and
 *    recovers;
 * 3. a Service's Deployment is scaled to zero (endpoints terminate, then the slice is empty) and back.
 *
 * Targets are picked from the data: healthy Services in prefixed namespaces, or the Services labelled
 * `chainboard.dev/timeline: rollout|crashloop|scale`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from './resources';
import { isoSeconds, type ClusterState } from './state';
import { matchesLabels } from './selectors';

export interface TimelineOptions {
  /** Time between steps. Default 4000 ms. */
  intervalMs?: number;
  /** Only Services in namespaces with this prefix are picked. Default `hst-`. */
  namespacePrefix?: string;
  /** Namespaces the story leaves alone (e.g. one kept for certificate and DNS states). */
  excludeNamespaces?: string[];
  now?: () => Date;
}

export interface TimelineStatus {
  running: boolean;
  steps: number;
  act?: string;
  last?: string;
}

type Act = 'rollout' | 'crashloop' | 'scale';
const ACTS: Act[] = ['rollout', 'crashloop', 'scale'];
const TIMELINE_LABEL = 'chainboard.dev/timeline';

interface Target {
  service: KubeObject;
  namespace: string;
  selector: Record<string, string>;
}

/** The scripted story. `step()` performs one change; `start()` steps on a timer. */
export class Timeline {
  private readonly intervalMs: number;
  private readonly prefix: string;
  private readonly exclude: Set<string>;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private actIndex = 0;
  private current: { act: Act; gen: Generator<string, void, void> } | undefined;
  private steps = 0;
  private last: string | undefined;
  private ipCounter = 0;

  constructor(
    private readonly state: ClusterState,
    opts: TimelineOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 4000;
    this.prefix = opts.namespacePrefix ?? 'hst-';
    this.exclude = new Set(opts.excludeNamespaces ?? []);
    this.now = opts.now ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.step(), this.intervalMs);
    // The story must never keep a process alive on its own.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  status(): TimelineStatus {
    return { running: this.timer !== undefined, steps: this.steps, act: this.current?.act, last: this.last };
  }

  /** Perform the next change of the story; returns what it did (or why it did nothing). */
  step(): string {
    for (let attempts = 0; attempts < ACTS.length + 1; attempts++) {
      if (!this.current) {
        const act = ACTS[this.actIndex % ACTS.length]!;
        this.actIndex++;
        const target = this.pickTarget(act);
        if (!target) continue;
        this.current = { act, gen: this.run(act, target) };
      }
      let r: IteratorResult<string, void>;
      try {
        r = this.current.gen.next();
      } catch (e) {
        // Someone changed the objects under the story (tests, the admin API): drop this act, go on.
        this.current = undefined;
        this.last = `act abandoned: ${(e as Error).message}`;
        continue;
      }
      if (r.done) {
        this.current = undefined;
        continue;
      }
      this.steps++;
      this.last = r.value;
      return r.value;
    }
    this.last = 'no healthy Service with ready Pods to play the story on';
    return this.last;
  }

  private run(act: Act, t: Target): Generator<string, void, void> {
    switch (act) {
      case 'rollout': return this.rollout(t);
      case 'crashloop': return this.crashLoop(t);
      case 'scale': return this.scale(t);
    }
  }

  // ---- target selection -------------------------------------------------------------------------

  private pickTarget(act: Act): Target | undefined {
    let candidates = this.state
      .all('Service')
      .filter((s) => s.metadata.namespace?.startsWith(this.prefix) && !this.exclude.has(s.metadata.namespace))
      .map((s) => ({ service: s, namespace: s.metadata.namespace!, selector: ((s.spec as Record<string, unknown> | undefined)?.selector ?? {}) as Record<string, string> }))
      .filter((t) => Object.keys(t.selector).length > 0 && this.slices(t).length > 0)
      .filter((t) => {
        const pods = this.pods(t);
        return pods.length > 0 && pods.every((p) => podReady(p) && !p.metadata.deletionTimestamp);
      });
    const labelled = candidates.find((t) => t.service.metadata.labels?.[TIMELINE_LABEL] === act || t.service.metadata.annotations?.[TIMELINE_LABEL] === act);
    if (labelled) return labelled;
    // Services behind a served Ingress first (a known class, an address published): a change nobody
    // routes to, or behind a domain that is down anyway, would not show on the dashboard.
    const classes = new Set(this.state.all('IngressClass').map((c) => c.metadata.name));
    const routed = new Set(
      this.state.all('Ingress').flatMap((i) => {
        const spec = (i.spec ?? {}) as { ingressClassName?: string; defaultBackend?: Backend; rules?: { http?: { paths?: { backend?: Backend }[] } }[] };
        const lb = ((i.status as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? []).length > 0;
        const cls = spec.ingressClassName ?? i.metadata.annotations?.['kubernetes.io/ingress.class'];
        if (!lb || (cls !== undefined && !classes.has(cls))) return [];
        const backends = [spec.defaultBackend, ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
        return backends.map((b) => b?.service?.name).filter(Boolean).map((name) => `${i.metadata.namespace}/${name}`);
      }),
    );
    const visible = candidates.filter((t) => routed.has(`${t.namespace}/${t.service.metadata.name}`));
    if (visible.length > 0) candidates = visible;
    const unlabelled = candidates.filter((t) => !t.service.metadata.labels?.[TIMELINE_LABEL] && !t.service.metadata.annotations?.[TIMELINE_LABEL]);
    // Different acts in different namespaces (when there are enough) so the story reads clearly.
    const pool = unlabelled.length > 0 ? unlabelled : candidates;
    const namespaces = [...new Set(pool.map((t) => t.namespace))];
    if (namespaces.length === 0) return undefined;
    const ns = namespaces[ACTS.indexOf(act) % namespaces.length];
    const inNs = pool.filter((t) => t.namespace === ns);
    return inNs[Math.floor(ACTS.indexOf(act) / namespaces.length) % inNs.length];
  }

  private pods(t: Target): KubeObject[] {
    return this.state.all('Pod').filter((p) => p.metadata.namespace === t.namespace && matchesLabels(toReqs(t.selector), p.metadata.labels));
  }

  private slices(t: Target): KubeObject[] {
    return this.state
      .all('EndpointSlice')
      .filter((s) => s.metadata.namespace === t.namespace && s.metadata.labels?.['kubernetes.io/service-name'] === t.service.metadata.name);
  }

  // ---- acts -------------------------------------------------------------------------------------

  private *rollout(t: Target): Generator<string, void, void> {
    const old = this.pods(t).filter((p) => !p.metadata.deletionTimestamp);
    const deploy = this.deploymentOf(t, old[0]!);
    const hash = templateHash();
    const rsName = `${deploy.name}-${hash}`;
    this.startReplicaSet(t, deploy.name, rsName, hash, old[0]!, old.length);
    this.event(deploy.ref, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${old.length}`, 'deployment-controller');
    const fresh = old.map((template) => this.createPod(t, template, rsName, hash));
    yield `rollout of ${t.namespace}/${deploy.name}: ${fresh.length} new Pod(s) pending`;

    for (const name of fresh) this.podStarted(t, name);
    yield `rollout of ${t.namespace}/${deploy.name}: new Pods running, not ready yet`;

    for (const name of fresh) this.podReadyNow(t, name);
    this.updateDeployment(deploy.name, t.namespace, { updated: fresh.length });
    yield `rollout of ${t.namespace}/${deploy.name}: new Pods ready`;

    for (const p of old) this.podTerminating(t, p.metadata.name);
    this.event(deploy.ref, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${ownerName(old[0]!) ?? deploy.name} from ${old.length} to 0`, 'deployment-controller');
    yield `rollout of ${t.namespace}/${deploy.name}: old Pods terminating, their endpoints still serving`;

    for (const p of old) this.podGone(t, p.metadata.name);
    const oldRs = ownerName(old[0]!);
    if (oldRs) this.scaleReplicaSet(t.namespace, oldRs, 0);
    yield `rollout of ${t.namespace}/${deploy.name}: complete, old Pods gone`;
  }

  private *crashLoop(t: Target): Generator<string, void, void> {
    const pod = this.pods(t).find((p) => !p.metadata.deletionTimestamp)!;
    const name = pod.metadata.name;
    const container = containerNames(pod)[0] ?? 'app';
    const ts = () => isoSeconds(this.now());
    this.state.patch('Pod', t.namespace, name, (p) => {
      const restarts = containerStatuses(p)[0]?.restartCount ?? 0;
      setContainers(p, {
        ready: false,
        started: false,
        restartCount: restarts,
        state: { terminated: { exitCode: 1, reason: 'Error', startedAt: ts(), finishedAt: ts() } },
      });
      setConditions(p, false, 'ContainersNotReady', `containers with unready status: [${container}]`, ts());
    });
    this.setEndpoint(t, name, { ready: false, serving: false, terminating: false });
    yield `${t.namespace}/${name}: container ${container} exited with code 1`;

    for (let i = 0; i < 3; i++) {
      this.state.patch('Pod', t.namespace, name, (p) => {
        const restarts = (containerStatuses(p)[0]?.restartCount ?? 0) + 1;
        setContainers(p, {
          ready: false,
          started: false,
          restartCount: restarts,
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${10 * 2 ** i}s restarting failed container=${container} pod=${name}_${t.namespace}(${p.metadata.uid})` } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ts(), finishedAt: ts() } },
        });
      });
      this.event(podRef(this.state, t.namespace, name), 'Warning', 'BackOff', `Back-off restarting failed container ${container} in pod ${name}_${t.namespace}(${pod.metadata.uid})`, 'kubelet', `spec.containers{${container}}`);
      yield `${t.namespace}/${name}: CrashLoopBackOff (${i + 1})`;
    }

    this.state.patch('Pod', t.namespace, name, (p) => {
      const restarts = (containerStatuses(p)[0]?.restartCount ?? 0) + 1;
      setContainers(p, {
        ready: true,
        started: true,
        restartCount: restarts,
        state: { running: { startedAt: ts() } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ts(), finishedAt: ts() } },
      });
      setConditions(p, true, undefined, undefined, ts());
    });
    this.setEndpoint(t, name, { ready: true, serving: true, terminating: false });
    yield `${t.namespace}/${name}: recovered, ready again`;
  }

  private *scale(t: Target): Generator<string, void, void> {
    const old = this.pods(t).filter((p) => !p.metadata.deletionTimestamp);
    const deploy = this.deploymentOf(t, old[0]!);
    const rs = ownerName(old[0]!);
    this.updateDeployment(deploy.name, t.namespace, { replicas: 0 });
    this.event(deploy.ref, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${rs ?? deploy.name} from ${old.length} to 0`, 'deployment-controller');
    for (const p of old) this.podTerminating(t, p.metadata.name);
    yield `${t.namespace}/${deploy.name} scaled to zero: Pods terminating`;

    for (const p of old) this.podGone(t, p.metadata.name);
    if (rs) this.scaleReplicaSet(t.namespace, rs, 0);
    this.updateDeployment(deploy.name, t.namespace, { replicas: 0, ready: 0 });
    yield `${t.namespace}/${t.service.metadata.name} has no endpoints: its Deployment has zero replicas`;

    yield `${t.namespace}/${t.service.metadata.name} still at zero`;

    this.updateDeployment(deploy.name, t.namespace, { replicas: old.length });
    this.event(deploy.ref, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs ?? deploy.name} from 0 to ${old.length}`, 'deployment-controller');
    const hash = old[0]!.metadata.labels?.['pod-template-hash'] ?? templateHash();
    const rsName = rs ?? `${deploy.name}-${hash}`;
    const fresh = old.map((template) => this.createPod(t, template, rsName, hash));
    if (rs) this.scaleReplicaSet(t.namespace, rs, old.length);
    yield `${t.namespace}/${deploy.name} scaled back to ${old.length}: Pods pending`;

    for (const name of fresh) {
      this.podStarted(t, name);
      this.podReadyNow(t, name);
    }
    this.updateDeployment(deploy.name, t.namespace, { replicas: old.length, ready: old.length });
    yield `${t.namespace}/${deploy.name} back to ${old.length} ready Pod(s)`;
  }

  // ---- controllers ------------------------------------------------------------------------------

  /** The Deployment behind a Pod: from its ReplicaSet owner's name (`web-5d8f6c7b9`), else the Service name. */
  private deploymentOf(t: Target, pod: KubeObject): { name: string; ref: EventRef } {
    const rs = ownerName(pod);
    const hash = pod.metadata.labels?.['pod-template-hash'];
    let name = t.service.metadata.name;
    if (rs && hash && rs.endsWith(`-${hash}`)) name = rs.slice(0, -hash.length - 1);
    else if (rs) name = rs.replace(/-[a-z0-9]+$/, '');
    const d = this.state.get(this.state.resource('Deployment'), t.namespace, name);
    return { name, ref: { kind: 'Deployment', apiVersion: 'apps/v1', namespace: t.namespace, name, uid: d?.metadata.uid } };
  }

  private startReplicaSet(t: Target, deployName: string, rsName: string, hash: string, template: KubeObject, replicas: number): void {
    const oldRs = ownerName(template);
    const old = oldRs ? this.state.get(this.state.resource('ReplicaSet'), t.namespace, oldRs) : undefined;
    if (!old) return;
    const rs = structuredClone(old);
    rs.metadata = { ...rs.metadata, name: rsName, labels: { ...rs.metadata.labels, 'pod-template-hash': hash } };
    delete rs.metadata.uid;
    delete rs.metadata.resourceVersion;
    delete rs.metadata.creationTimestamp;
    rs.spec = { ...(rs.spec as object), replicas };
    rs.status = { replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas, observedGeneration: 1 };
    this.state.apply(rs);
    void deployName;
  }

  private scaleReplicaSet(namespace: string, name: string, replicas: number): void {
    if (!this.state.get(this.state.resource('ReplicaSet'), namespace, name)) return;
    this.state.patch('ReplicaSet', namespace, name, {
      spec: { replicas },
      status: { replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas },
    });
  }

  private updateDeployment(name: string, namespace: string, s: { replicas?: number; ready?: number; updated?: number }): void {
    if (!this.state.get(this.state.resource('Deployment'), namespace, name)) return;
    this.state.patch('Deployment', namespace, name, (d) => {
      const spec = (d.spec ??= {}) as Record<string, unknown>;
      const status = (d.status ??= {}) as Record<string, unknown>;
      if (s.replicas !== undefined) {
        spec.replicas = s.replicas;
        status.replicas = s.replicas;
        d.metadata.generation = (d.metadata.generation ?? 1) + 1;
        status.observedGeneration = d.metadata.generation;
      }
      if (s.ready !== undefined) {
        status.readyReplicas = s.ready;
        status.availableReplicas = s.ready;
        if (s.ready === 0) {
          delete status.readyReplicas;
          delete status.availableReplicas;
        }
      }
      if (s.updated !== undefined) status.updatedReplicas = s.updated;
    });
  }

  /** A new Pod from a template Pod, Pending and not yet scheduled to a node. Returns its name. */
  private createPod(t: Target, template: KubeObject, rsName: string, hash: string): string {
    const name = `${rsName}-${suffix()}`;
    const spec = structuredClone((template.spec ?? {}) as Record<string, unknown>);
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: t.namespace,
        labels: { ...template.metadata.labels, 'pod-template-hash': hash },
        ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: this.state.get(this.state.resource('ReplicaSet'), t.namespace, rsName)?.metadata.uid ?? '', controller: true, blockOwnerDeletion: true } as never],
      },
      spec,
      status: { phase: 'Pending', qosClass: 'BestEffort' },
    };
    const created = this.state.apply(pod);
    this.state.patch('Pod', t.namespace, name, (p) => {
      const ts = isoSeconds(this.now());
      p.status = {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: ts }],
        hostIP: '10.0.0.11',
        startTime: ts,
        containerStatuses: containerNames(p).map((c) => ({
          name: c,
          ready: false,
          started: false,
          restartCount: 0,
          image: imageOf(p, c),
          imageID: '',
          state: { waiting: { reason: 'ContainerCreating' } },
        })),
        qosClass: 'BestEffort',
      };
    });
    this.event(podRef(this.state, t.namespace, name), 'Normal', 'Scheduled', `Successfully assigned ${t.namespace}/${name} to ${(spec.nodeName as string | undefined) ?? 'demo-node-1'}`, 'default-scheduler');
    void created;
    return name;
  }

  /** Containers started, Pod IP assigned, not ready: the EndpointSlice controller adds a not-ready endpoint. */
  private podStarted(t: Target, name: string): void {
    const ip = this.nextIp();
    this.state.patch('Pod', t.namespace, name, (p) => {
      const ts = isoSeconds(this.now());
      const status = p.status as Record<string, unknown>;
      status.phase = 'Running';
      status.podIP = ip;
      status.podIPs = [{ ip }];
      setContainers(p, { ready: false, started: true, restartCount: 0, state: { running: { startedAt: ts } } });
      status.conditions = [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: ts },
        { type: 'Initialized', status: 'True', lastTransitionTime: ts },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${containerNames(p).join(' ')}]`, lastTransitionTime: ts },
        { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${containerNames(p).join(' ')}]`, lastTransitionTime: ts },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: ts },
      ];
    });
    const p = this.state.get(this.state.resource('Pod'), t.namespace, name)!;
    for (const c of containerNames(p)) this.event(podRef(this.state, t.namespace, name, `spec.containers{${c}}`), 'Normal', 'Started', `Started container ${c}`, 'kubelet');
    this.addEndpoint(t, p, { ready: false, serving: false, terminating: false });
  }

  private podReadyNow(t: Target, name: string): void {
    this.state.patch('Pod', t.namespace, name, (p) => {
      const ts = isoSeconds(this.now());
      setContainers(p, { ready: true, started: true, restartCount: 0, state: { running: { startedAt: ts } } });
      setConditions(p, true, undefined, undefined, ts);
    });
    this.setEndpoint(t, name, { ready: true, serving: true, terminating: false });
  }

  /** Graceful deletion begins: deletionTimestamp set, endpoint not ready but still serving, and terminating. */
  private podTerminating(t: Target, name: string): void {
    this.state.patch('Pod', t.namespace, name, (p) => {
      const grace = Number((p.spec as Record<string, unknown> | undefined)?.terminationGracePeriodSeconds ?? 30);
      p.metadata.deletionTimestamp = isoSeconds(new Date(this.now().getTime() + grace * 1000));
      p.metadata.deletionGracePeriodSeconds = grace;
    });
    const p = this.state.get(this.state.resource('Pod'), t.namespace, name)!;
    for (const c of containerNames(p)) this.event(podRef(this.state, t.namespace, name, `spec.containers{${c}}`), 'Normal', 'Killing', `Stopping container ${c}`, 'kubelet');
    this.setEndpoint(t, name, { ready: false, serving: true, terminating: true });
  }

  /** The kubelet finishes, the Pod object goes, then the EndpointSlice controller drops its endpoint. */
  private podGone(t: Target, name: string): void {
    this.state.remove('Pod', t.namespace, name);
    this.removeEndpoint(t, name);
  }

  private addEndpoint(t: Target, pod: KubeObject, conditions: { ready: boolean; serving: boolean; terminating: boolean }): void {
    const slice = this.slices(t)[0];
    if (!slice) return;
    const status = pod.status as Record<string, unknown>;
    this.state.patch('EndpointSlice', t.namespace, slice.metadata.name, (s) => {
      const eps = ((s.endpoints as unknown[] | undefined) ?? []) as Record<string, unknown>[];
      eps.push({
        addresses: [status.podIP as string],
        conditions,
        nodeName: ((pod.spec as Record<string, unknown>).nodeName as string | undefined) ?? 'demo-node-1',
        targetRef: { kind: 'Pod', namespace: t.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
      });
      s.endpoints = eps;
    });
  }

  private setEndpoint(t: Target, podName: string, conditions: { ready: boolean; serving: boolean; terminating: boolean }): void {
    for (const slice of this.slices(t)) {
      const eps = (slice.endpoints as Record<string, unknown>[] | undefined) ?? [];
      if (!eps.some((e) => (e.targetRef as Record<string, unknown> | undefined)?.name === podName)) continue;
      this.state.patch('EndpointSlice', t.namespace, slice.metadata.name, (s) => {
        for (const e of (s.endpoints as Record<string, unknown>[]) ?? []) {
          if ((e.targetRef as Record<string, unknown> | undefined)?.name === podName) e.conditions = conditions;
        }
      });
    }
  }

  private removeEndpoint(t: Target, podName: string): void {
    for (const slice of this.slices(t)) {
      const eps = (slice.endpoints as Record<string, unknown>[] | undefined) ?? [];
      if (!eps.some((e) => (e.targetRef as Record<string, unknown> | undefined)?.name === podName)) continue;
      this.state.patch('EndpointSlice', t.namespace, slice.metadata.name, (s) => {
        s.endpoints = ((s.endpoints as Record<string, unknown>[]) ?? []).filter((e) => (e.targetRef as Record<string, unknown> | undefined)?.name !== podName);
      });
    }
  }

  /**
   * Record an Event as the components do: a repeat of the same (object, reason, message) bumps `count`
   * and `lastTimestamp` of the existing Event rather than creating a new one.
   * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
   */
  private event(ref: EventRef, type: 'Normal' | 'Warning', reason: string, message: string, component: string, fieldPath?: string): void {
    const ts = isoSeconds(this.now());
    const involved = { ...ref, ...(fieldPath ? { fieldPath } : {}) };
    const existing = this.state
      .all('Event')
      .find(
        (e) =>
          e.metadata.namespace === ref.namespace &&
          (e.involvedObject as EventRef | undefined)?.name === ref.name &&
          (e.involvedObject as EventRef | undefined)?.kind === ref.kind &&
          e.reason === reason &&
          (reason === 'BackOff' || e.message === message),
      );
    if (existing) {
      this.state.patch('Event', ref.namespace, existing.metadata.name, (e) => {
        e.count = ((e.count as number | undefined) ?? 1) + 1;
        e.lastTimestamp = ts;
        e.message = message;
      });
      return;
    }
    this.state.apply({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${ref.name}.${randomBytes(8).toString('hex')}`, namespace: ref.namespace },
      involvedObject: involved,
      reason,
      message,
      source: { component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: '',
    });
  }

  /** A free Pod IP in the cluster's Pod network (the /16 of the existing Pod IPs). */
  private nextIp(): string {
    const ips = this.state.all('Pod').map((p) => (p.status as Record<string, unknown> | undefined)?.podIP).filter((ip): ip is string => typeof ip === 'string');
    const used = new Set(ips);
    const net = ips.find((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip))?.split('.').slice(0, 2).join('.') ?? '10.244';
    for (;;) {
      this.ipCounter++;
      const ip = `${net}.${200 + ((this.ipCounter >> 8) % 50)}.${(this.ipCounter % 250) + 2}`;
      if (!used.has(ip)) return ip;
    }
  }
}

type Backend = { service?: { name?: string } } | undefined;

interface EventRef {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  uid?: string;
}

function podRef(state: ClusterState, namespace: string, name: string, fieldPath?: string): EventRef {
  const p = state.get(state.resource('Pod'), namespace, name);
  return { kind: 'Pod', apiVersion: 'v1', namespace, name, uid: p?.metadata.uid, ...(fieldPath ? { fieldPath } : {}) } as EventRef;
}

const toReqs = (sel: Record<string, string>) => Object.entries(sel).map(([key, value]) => ({ op: '=' as const, key, value }));

const ownerName = (pod: KubeObject) => pod.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;

const containerNames = (p: KubeObject): string[] =>
  (((p.spec as Record<string, unknown> | undefined)?.containers as { name?: string }[] | undefined) ?? []).map((c) => c.name ?? 'app');

const imageOf = (p: KubeObject, name: string): string | undefined =>
  (((p.spec as Record<string, unknown> | undefined)?.containers as { name?: string; image?: string }[] | undefined) ?? []).find((c) => c.name === name)?.image;

type CStatus = { restartCount?: number; ready?: boolean };
const containerStatuses = (p: KubeObject): CStatus[] => ((p.status as Record<string, unknown> | undefined)?.containerStatuses as CStatus[] | undefined) ?? [];

function podReady(p: KubeObject): boolean {
  const conds = ((p.status as Record<string, unknown> | undefined)?.conditions as { type?: string; status?: string }[] | undefined) ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Set every container's status alike (the demo Pods run one container each, mostly). */
function setContainers(p: KubeObject, s: Record<string, unknown>): void {
  const status = (p.status ??= {}) as Record<string, unknown>;
  status.containerStatuses = containerNames(p).map((name) => ({
    name,
    image: imageOf(p, name),
    imageID: '',
    containerID: `containerd://${randomBytes(32).toString('hex')}`,
    ...s,
  }));
}

function setConditions(p: KubeObject, ready: boolean, reason: string | undefined, message: string | undefined, ts: string): void {
  const status = (p.status ??= {}) as Record<string, unknown>;
  const conds = ((status.conditions as Record<string, unknown>[] | undefined) ?? []).filter((c) => c.type !== 'Ready' && c.type !== 'ContainersReady');
  const mk = (type: string) => ({ type, status: ready ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}), lastTransitionTime: ts });
  status.conditions = [...conds, mk('Ready'), mk('ContainersReady')];
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const randomName = (n: number) => Array.from(randomBytes(n), (b) => ALPHABET[b % ALPHABET.length]).join('');
const templateHash = () => randomName(10);
const suffix = () => randomName(5);
