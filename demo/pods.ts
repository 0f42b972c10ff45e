/**
 * Pod fields as the kubelet and the controllers write them, for the demo timeline: container names and
 * images from the spec, container statuses, the Ready and ContainersReady conditions, the owning
 * ReplicaSet, and the random name parts Deployments give their ReplicaSets and Pods.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from './resources';

/** The name of the ReplicaSet that owns a Pod. */
export const ownerName = (pod: KubeObject) => pod.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;

/** The names of a Pod's containers, `app` for one without a name. */
export const containerNames = (p: KubeObject): string[] =>
  (((p.spec as Record<string, unknown> | undefined)?.containers as { name?: string }[] | undefined) ?? []).map((c) => c.name ?? 'app');

/** The image of the container `name`. */
export const imageOf = (p: KubeObject, name: string): string | undefined =>
  (((p.spec as Record<string, unknown> | undefined)?.containers as { name?: string; image?: string }[] | undefined) ?? []).find((c) => c.name === name)?.image;

type ContainerStatus = { restartCount?: number; ready?: boolean };

/** A Pod's container statuses. */
export const containerStatuses = (p: KubeObject): ContainerStatus[] =>
  ((p.status as Record<string, unknown> | undefined)?.containerStatuses as ContainerStatus[] | undefined) ?? [];

/** Whether the Pod's Ready condition is True. */
export function podReady(p: KubeObject): boolean {
  const conds = ((p.status as Record<string, unknown> | undefined)?.conditions as { type?: string; status?: string }[] | undefined) ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Set every container's status alike (the demo Pods run one container each, mostly). */
export function setContainers(p: KubeObject, s: Record<string, unknown>): void {
  const status = (p.status ??= {}) as Record<string, unknown>;
  status.containerStatuses = containerNames(p).map((name) => ({
    name,
    image: imageOf(p, name),
    imageID: '',
    containerID: `containerd://${randomBytes(32).toString('hex')}`,
    ...s,
  }));
}

/** Set the Ready and ContainersReady conditions, keeping the others. */
export function setConditions(p: KubeObject, ready: boolean, reason: string | undefined, message: string | undefined, ts: string): void {
  const status = (p.status ??= {}) as Record<string, unknown>;
  const conds = ((status.conditions as Record<string, unknown>[] | undefined) ?? []).filter((c) => c.type !== 'Ready' && c.type !== 'ContainersReady');
  const mk = (type: string) => ({ type, status: ready ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}), lastTransitionTime: ts });
  status.conditions = [...conds, mk('Ready'), mk('ContainersReady')];
}

// The alphabet Kubernetes draws generated name suffixes from: no vowels, no look-alike digits.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const randomName = (n: number) => Array.from(randomBytes(n), (b) => ALPHABET[b % ALPHABET.length]).join('');
/** A `pod-template-hash` as a Deployment gives its ReplicaSets. */
export const templateHash = () => randomName(10);
/** The random suffix a ReplicaSet gives its Pods. */
export const suffix = () => randomName(5);
