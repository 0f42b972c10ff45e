/**
 * The acts of the demo timeline's story, as data: each act is a script of steps, a generator that makes
 * one change of the cluster per step (through the controllers) and yields what it did.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts
 */
import { podRef, type Controllers } from './controllers';
import { containerNames, containerStatuses, ownerName, setConditions, setContainers, templateHash } from './pods';
import type { KubeObject } from './resources';
import { isoSeconds } from './state';
import { podsOf, type Target } from './timeline-targets';

/** The acts, in the order the story plays them. */
export const ACTS = ['rollout', 'crashloop', 'scale'] as const;

/** One act of the story. */
export type Act = (typeof ACTS)[number];

/** An act's script: one cluster change per step, each described by the string it yields. */
export type ActScript = (c: Controllers, t: Target) => Generator<string, void, void>;

/**
 * A rollout: new Pods start (Pending, then Running but not Ready, then Ready - their endpoints appear
 * not-ready, then ready), old Pods terminate (endpoints `terminating`, still `serving`), then go away.
 */
function* rollout(c: Controllers, t: Target): Generator<string, void, void> {
  const old = podsOf(c.state, t).filter((p) => !p.metadata.deletionTimestamp);
  const deploy = c.deploymentOf(t, old[0]!);
  const hash = templateHash();
  const rsName = `${deploy.name}-${hash}`;
  c.startReplicaSet(t, rsName, hash, old[0]!, old.length);
  c.event(deploy.ref, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${old.length}`, 'deployment-controller');
  const fresh = old.map((template) => c.createPod(t, template, rsName, hash));
  yield `rollout of ${t.namespace}/${deploy.name}: ${fresh.length} new Pod(s) pending`;

  for (const name of fresh) c.podStarted(t, name);
  yield `rollout of ${t.namespace}/${deploy.name}: new Pods running, not ready yet`;

  for (const name of fresh) c.podReadyNow(t, name);
  c.updateDeployment(deploy.name, t.namespace, { updated: fresh.length });
  yield `rollout of ${t.namespace}/${deploy.name}: new Pods ready`;

  for (const p of old) c.podTerminating(t, p.metadata.name);
  c.event(deploy.ref, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${ownerName(old[0]!) ?? deploy.name} from ${old.length} to 0`, 'deployment-controller');
  yield `rollout of ${t.namespace}/${deploy.name}: old Pods terminating, their endpoints still serving`;

  for (const p of old) c.podGone(t, p.metadata.name);
  const oldRs = ownerName(old[0]!);
  if (oldRs) c.scaleReplicaSet(t.namespace, oldRs, 0);
  yield `rollout of ${t.namespace}/${deploy.name}: complete, old Pods gone`;
}

/** A Pod falls into CrashLoopBackOff (endpoint not ready, Warning `BackOff` events counting up) and recovers. */
function* crashLoop(c: Controllers, t: Target): Generator<string, void, void> {
  const pod = podsOf(c.state, t).find((p) => !p.metadata.deletionTimestamp)!;
  const name = pod.metadata.name;
  const container = containerNames(pod)[0] ?? 'app';
  const ts = () => isoSeconds(c.now());
  const exited = () => ({ terminated: { exitCode: 1, reason: 'Error', startedAt: ts(), finishedAt: ts() } });
  /** The kubelet restarted the container once more, into `state`, after a failed run. */
  const restarted = (p: KubeObject, up: boolean, state: Record<string, unknown>) =>
    setContainers(p, { ready: up, started: up, restartCount: (containerStatuses(p)[0]?.restartCount ?? 0) + 1, state, lastState: exited() });

  c.state.patch('Pod', t.namespace, name, (p) => {
    const restarts = containerStatuses(p)[0]?.restartCount ?? 0;
    setContainers(p, { ready: false, started: false, restartCount: restarts, state: exited() });
    setConditions(p, false, 'ContainersNotReady', `containers with unready status: [${container}]`, ts());
  });
  c.setEndpoint(t, name, { ready: false, serving: false, terminating: false });
  yield `${t.namespace}/${name}: container ${container} exited with code 1`;

  for (let i = 0; i < 3; i++) {
    c.state.patch('Pod', t.namespace, name, (p) =>
      restarted(p, false, { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${10 * 2 ** i}s restarting failed container=${container} pod=${name}_${t.namespace}(${p.metadata.uid})` } }),
    );
    c.event(podRef(c.state, t.namespace, name), 'Warning', 'BackOff', `Back-off restarting failed container ${container} in pod ${name}_${t.namespace}(${pod.metadata.uid})`, 'kubelet', `spec.containers{${container}}`);
    yield `${t.namespace}/${name}: CrashLoopBackOff (${i + 1})`;
  }

  c.state.patch('Pod', t.namespace, name, (p) => {
    restarted(p, true, { running: { startedAt: ts() } });
    setConditions(p, true, undefined, undefined, ts());
  });
  c.setEndpoint(t, name, { ready: true, serving: true, terminating: false });
  yield `${t.namespace}/${name}: recovered, ready again`;
}

/** A Service's Deployment is scaled to zero (endpoints terminate, then the slice is empty) and back. */
function* scale(c: Controllers, t: Target): Generator<string, void, void> {
  const old = podsOf(c.state, t).filter((p) => !p.metadata.deletionTimestamp);
  const deploy = c.deploymentOf(t, old[0]!);
  const rs = ownerName(old[0]!);
  c.updateDeployment(deploy.name, t.namespace, { replicas: 0 });
  c.event(deploy.ref, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${rs ?? deploy.name} from ${old.length} to 0`, 'deployment-controller');
  for (const p of old) c.podTerminating(t, p.metadata.name);
  yield `${t.namespace}/${deploy.name} scaled to zero: Pods terminating`;

  for (const p of old) c.podGone(t, p.metadata.name);
  if (rs) c.scaleReplicaSet(t.namespace, rs, 0);
  c.updateDeployment(deploy.name, t.namespace, { replicas: 0, ready: 0 });
  yield `${t.namespace}/${t.service.metadata.name} has no endpoints: its Deployment has zero replicas`;

  yield `${t.namespace}/${t.service.metadata.name} still at zero`;

  c.updateDeployment(deploy.name, t.namespace, { replicas: old.length });
  c.event(deploy.ref, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs ?? deploy.name} from 0 to ${old.length}`, 'deployment-controller');
  const hash = old[0]!.metadata.labels?.['pod-template-hash'] ?? templateHash();
  const rsName = rs ?? `${deploy.name}-${hash}`;
  const fresh = old.map((template) => c.createPod(t, template, rsName, hash));
  if (rs) c.scaleReplicaSet(t.namespace, rs, old.length);
  yield `${t.namespace}/${deploy.name} scaled back to ${old.length}: Pods pending`;

  for (const name of fresh) {
    c.podStarted(t, name);
    c.podReadyNow(t, name);
  }
  c.updateDeployment(deploy.name, t.namespace, { replicas: old.length, ready: old.length });
  yield `${t.namespace}/${deploy.name} back to ${old.length} ready Pod(s)`;
}

/** The script of every act. */
export const ACT_SCRIPTS: Record<Act, ActScript> = { rollout, crashloop: crashLoop, scale };
