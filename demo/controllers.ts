/**
 * The controllers the demo timeline stands in for, acting on the demo cluster in the order the real ones
 * do: the Deployment and ReplicaSet controllers (replicas, template hashes), the scheduler and the kubelet
 * (Pods pending, started, ready, terminating, gone), the EndpointSlice controller (endpoint conditions
 * following the Pods) and the event recorder (repeats counted, not multiplied).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
 */
import { randomBytes } from 'node:crypto';
import { containerNames, imageOf, ownerName, setConditions, setContainers, suffix } from './pods';
import type { KubeObject } from './resources';
import { isoSeconds, type ClusterState } from './state';
import { slicesOf, type Target } from './timeline-targets';

/** The object an Event is about. */
export interface EventRef {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  uid?: string;
}

/** The conditions of one endpoint. */
export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** A reference to a Pod for its Events, optionally to one of its containers (`fieldPath`). */
export function podRef(state: ClusterState, namespace: string, name: string, fieldPath?: string): EventRef {
  const p = state.get(state.resource('Pod'), namespace, name);
  return { kind: 'Pod', apiVersion: 'v1', namespace, name, uid: p?.metadata.uid, ...(fieldPath ? { fieldPath } : {}) } as EventRef;
}

/** The name of the Pod an endpoint points at. */
const endpointPod = (e: Record<string, unknown>) => (e.targetRef as Record<string, unknown> | undefined)?.name;

/** The controllers over one cluster state; `now` stamps every timestamp they write. */
export class Controllers {
  private ipCounter = 0;

  constructor(
    readonly state: ClusterState,
    readonly now: () => Date,
  ) {}

  /** The Deployment behind a Pod: from its ReplicaSet owner's name (`web-5d8f6c7b9`), else the Service name. */
  deploymentOf(t: Target, pod: KubeObject): { name: string; ref: EventRef } {
    const rs = ownerName(pod);
    const hash = pod.metadata.labels?.['pod-template-hash'];
    let name = t.service.metadata.name;
    if (rs && hash && rs.endsWith(`-${hash}`)) name = rs.slice(0, -hash.length - 1);
    else if (rs) name = rs.replace(/-[a-z0-9]+$/, '');
    const d = this.state.get(this.state.resource('Deployment'), t.namespace, name);
    return { name, ref: { kind: 'Deployment', apiVersion: 'apps/v1', namespace: t.namespace, name, uid: d?.metadata.uid } };
  }

  /** A new ReplicaSet `rsName` for a rollout, copied from the template Pod's ReplicaSet, if it has one. */
  startReplicaSet(t: Target, rsName: string, hash: string, template: KubeObject, replicas: number): void {
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
  }

  /** A ReplicaSet's replicas, all of them ready; nothing when the data has no such ReplicaSet. */
  scaleReplicaSet(namespace: string, name: string, replicas: number): void {
    if (!this.state.get(this.state.resource('ReplicaSet'), namespace, name)) return;
    this.state.patch('ReplicaSet', namespace, name, {
      spec: { replicas },
      status: { replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas },
    });
  }

  /** A Deployment's replicas (a new generation), ready and updated counts; nothing when the data has no such Deployment. */
  updateDeployment(name: string, namespace: string, s: { replicas?: number; ready?: number; updated?: number }): void {
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
  createPod(t: Target, template: KubeObject, rsName: string, hash: string): string {
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
    this.state.apply(pod);
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
    return name;
  }

  /** Containers started, Pod IP assigned, not ready: the EndpointSlice controller adds a not-ready endpoint. */
  podStarted(t: Target, name: string): void {
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

  /** Containers ready: the Pod turns Ready and its endpoint ready and serving. */
  podReadyNow(t: Target, name: string): void {
    this.state.patch('Pod', t.namespace, name, (p) => {
      const ts = isoSeconds(this.now());
      setContainers(p, { ready: true, started: true, restartCount: 0, state: { running: { startedAt: ts } } });
      setConditions(p, true, undefined, undefined, ts);
    });
    this.setEndpoint(t, name, { ready: true, serving: true, terminating: false });
  }

  /** Graceful deletion begins: deletionTimestamp set, endpoint not ready but still serving, and terminating. */
  podTerminating(t: Target, name: string): void {
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
  podGone(t: Target, name: string): void {
    this.state.remove('Pod', t.namespace, name);
    this.removeEndpoint(t, name);
  }

  private addEndpoint(t: Target, pod: KubeObject, conditions: EndpointConditions): void {
    const slice = slicesOf(this.state, t)[0];
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

  /** The slices of the target's Service that hold an endpoint of the Pod `podName`. */
  private slicesHolding(t: Target, podName: string): KubeObject[] {
    return slicesOf(this.state, t).filter((slice) => ((slice.endpoints as Record<string, unknown>[] | undefined) ?? []).some((e) => endpointPod(e) === podName));
  }

  /** The conditions of the Pod's endpoint in every slice of the Service that has one. */
  setEndpoint(t: Target, podName: string, conditions: EndpointConditions): void {
    for (const slice of this.slicesHolding(t, podName)) {
      this.state.patch('EndpointSlice', t.namespace, slice.metadata.name, (s) => {
        for (const e of (s.endpoints as Record<string, unknown>[]) ?? []) {
          if (endpointPod(e) === podName) e.conditions = conditions;
        }
      });
    }
  }

  /** The Pod's endpoint dropped from every slice of the Service. */
  private removeEndpoint(t: Target, podName: string): void {
    for (const slice of this.slicesHolding(t, podName)) {
      this.state.patch('EndpointSlice', t.namespace, slice.metadata.name, (s) => {
        s.endpoints = ((s.endpoints as Record<string, unknown>[]) ?? []).filter((e) => endpointPod(e) !== podName);
      });
    }
  }

  /**
   * Record an Event as the components do: a repeat of the same (object, reason, message) bumps `count`
   * and `lastTimestamp` of the existing Event rather than creating a new one.
   * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
   */
  event(ref: EventRef, type: 'Normal' | 'Warning', reason: string, message: string, component: string, fieldPath?: string): void {
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
