/**
 * Readable diffs of the objects on a domain's chain, of only the fields Chainboard reads: what a change
 * record's `lines` say. An update that changes none of them (status, resourceVersion, labels the engine
 * ignores) gives no lines and is not recorded. Ingress and Service diffs are in diff-ingress.ts and
 * diff-service.ts; Pods and EndpointSlices, which churn, are summarised by diff-workloads.ts.
 *
 * Helm: Helm 3 marks what it installs with the label `app.kubernetes.io/managed-by: Helm` and the
 * annotations `meta.helm.sh/release-name` / `meta.helm.sh/release-namespace`; charts add
 * `app.kubernetes.io/instance: <release>` and `helm.sh/chart: <chart>-<version>` by convention. Helm sets
 * no revision on the objects (the revision lives only in the release's own Secret,
 * `sh.helm.release.v1.<release>.v<revision>`), so `revision` is read only from a `helm.sh/revision` label
 * a chart may add. Slimming keeps labels but drops the `meta.helm.sh/*` annotations, so in practice the
 * release comes from the labels.
 */
import type { SlimCertManagerCertificate, SlimIngress, SlimMeta, SlimService } from '../model/k8s';
import type { CacheChange } from '../cluster/reducer';
import type { ChangeRecord } from './types';
import { diffIngress, ingressSummary } from './diff-ingress';
import { certificateSummary, diffCertificate, diffService, serviceSummary } from './diff-service';

export { backendText, diffIngress, ingressHosts, ingressSummary } from './diff-ingress';
export { certificateSummary, diffCertificate, diffService, selectorText, serviceSummary } from './diff-service';
export { PodTracker, SliceTracker, type WorkloadEvent } from './diff-workloads';

/** The Helm release an object belongs to, when Helm (or a chart following its conventions) marked it. */
export function helmOf(meta: Pick<SlimMeta, 'labels' | 'annotations'> | undefined): ChangeRecord['helm'] {
  const l = meta?.labels ?? {};
  const a = meta?.annotations ?? {};
  const byHelm = l['app.kubernetes.io/managed-by'] === 'Helm' || l['helm.sh/chart'] !== undefined || a['meta.helm.sh/release-name'] !== undefined;
  const release = a['meta.helm.sh/release-name'] ?? l['app.kubernetes.io/instance'] ?? l['release'];
  if (!byHelm || !release) return undefined;
  const out: NonNullable<ChangeRecord['helm']> = { release };
  const revision = l['helm.sh/revision'];
  if (revision) out.revision = revision;
  const chart = l['helm.sh/chart'];
  if (chart) out.chart = chart;
  return out;
}

type Described = Pick<ChangeRecord, 'action' | 'lines'>;

/**
 * The action and lines of an Ingress, Service or Certificate change; undefined when nothing Chainboard
 * reads changed. Added and deleted objects get a one-line summary.
 */
export function describeChange(kind: 'Ingress' | 'Service' | 'Certificate', c: CacheChange<{ metadata: SlimMeta }>): Described | undefined {
  const summary = (o: unknown) =>
    kind === 'Ingress' ? ingressSummary(o as SlimIngress) : kind === 'Service' ? serviceSummary(o as SlimService) : certificateSummary(o as SlimCertManagerCertificate);
  if (c.type === 'added') return { action: 'added', lines: [`added: ${summary(c.object)}`] };
  if (c.type === 'deleted') return { action: 'deleted', lines: [`deleted: ${summary(c.previous ?? c.object)}`] };
  if (!c.previous) return undefined;
  const lines =
    kind === 'Ingress'
      ? diffIngress(c.previous as SlimIngress, c.object as SlimIngress)
      : kind === 'Service'
        ? diffService(c.previous as SlimService, c.object as SlimService)
        : diffCertificate(c.previous as SlimCertManagerCertificate, c.object as SlimCertManagerCertificate);
  return lines.length ? { action: 'modified', lines } : undefined;
}
