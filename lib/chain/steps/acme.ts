/**
 * cert-manager's request chain behind a Certificate: Certificate -> its latest CertificateRequest ->
 * the ACME Order that request made -> the Order's Challenges, with the Issuer (or ClusterIssuer) the
 * Certificate names. Pure: an index per namespace over what the snapshot holds, and the trail of one
 * Certificate through it. The rules in ../rules/acme.ts name the step that is stuck.
 * @see https://cert-manager.io/docs/troubleshooting/acme/
 */
import type {
  PodCondition,
  SlimAcmeChallenge,
  SlimAcmeOrder,
  SlimCertificateRequest,
  SlimCertManagerCertificate,
  SlimCertManagerIssuer,
  SlimMeta,
} from '../../model/k8s';
import type { Snapshot } from '../../model/snapshot';

/**
 * The request chain of one namespace. `orders`, `challenges`, `issuers` and `clusterIssuers` are each
 * `undefined` when not read (or forbidden): the trail then stops before them, and says so.
 */
export interface AcmeIndex {
  requestsByCertificate: Map<string, SlimCertificateRequest[]>;
  ordersByRequest?: Map<string, SlimAcmeOrder[]>;
  challengesByOrder?: Map<string, SlimAcmeChallenge[]>;
  issuers?: Map<string, SlimCertManagerIssuer>;
  clusterIssuers?: Map<string, SlimCertManagerIssuer>;
}

/** The kinds of the chain whose gaps (forbidden, not synced) leave a step unread. */
export const ACME_KINDS = ['CertificateRequest', 'Order', 'Challenge', 'Issuer', 'ClusterIssuer'] as const;

function group<T extends { metadata: SlimMeta; owner?: { name: string } }>(list: readonly T[] | undefined, inNs: (o: T) => boolean): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const o of list ?? []) {
    if (!inNs(o) || !o.owner) continue;
    const l = out.get(o.owner.name);
    if (l) l.push(o);
    else out.set(o.owner.name, [o]);
  }
  return out;
}

const byName = (list: readonly SlimCertManagerIssuer[], keep: (o: SlimCertManagerIssuer) => boolean) =>
  new Map(list.filter(keep).map((o) => [o.metadata.name, o] as const));

/**
 * The index of a namespace's request chain; `undefined` when CertificateRequests are not read (not
 * configured, not installed, or not permitted): then no step of the chain is checked. Orders and
 * Challenges not read (their CRD not installed, or forbidden) leave the trail stopping before them.
 */
export function acmeIndex(s: Snapshot, ns: string, gapKinds: ReadonlySet<string>): AcmeIndex | undefined {
  if (!s.certificateRequests || gapKinds.has('CertificateRequest')) return undefined;
  const inNs = (o: { metadata: SlimMeta }) => o.metadata.namespace === ns;
  const index: AcmeIndex = { requestsByCertificate: group(s.certificateRequests, inNs) };
  if (s.orders && !gapKinds.has('Order')) index.ordersByRequest = group(s.orders, inNs);
  if (s.challenges && !gapKinds.has('Challenge')) index.challengesByOrder = group(s.challenges, inNs);
  if (s.issuers && !gapKinds.has('Issuer')) index.issuers = byName(s.issuers, inNs);
  if (s.clusterIssuers && !gapKinds.has('ClusterIssuer')) index.clusterIssuers = byName(s.clusterIssuers, () => true);
  return index;
}

/** How the Certificate's issuer was found. */
export type IssuerLookup =
  | { state: 'found'; kind: 'Issuer' | 'ClusterIssuer'; name: string; issuer: SlimCertManagerIssuer }
  | { state: 'missing'; kind: 'Issuer' | 'ClusterIssuer'; name: string }
  /** Issuers of that kind are not read, the reference has no name, or it names an external issuer's group. */
  | { state: 'not-checked'; kind: string; name: string };

/** One Certificate's way through the chain, as far as it goes. */
export interface AcmeTrail {
  certificate: SlimCertManagerCertificate;
  issuer: IssuerLookup;
  /** The latest request: highest revision, then newest, then last by name. */
  request?: SlimCertificateRequest;
  order?: SlimAcmeOrder;
  challenges: SlimAcmeChallenge[];
  /** The kinds the trail could not look at (not read or not permitted), in chain order. */
  unread: string[];
}

export const condition = (conds: readonly PodCondition[] | undefined, type: string) => conds?.find((c) => c.type === type);

/** Is the Certificate's Ready condition True? */
export const certificateReady = (c: SlimCertManagerCertificate) => condition(c.status?.conditions, 'Ready')?.status === 'True';

const newer = (a: { metadata: SlimMeta }, b: { metadata: SlimMeta }) => {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta > tb;
  return a.metadata.name > b.metadata.name;
};

function latest<T extends { metadata: SlimMeta }>(list: readonly T[] | undefined, rank: (o: T) => number = () => 0): T | undefined {
  let best: T | undefined;
  for (const o of list ?? []) {
    if (!best || rank(o) > rank(best) || (rank(o) === rank(best) && newer(o, best))) best = o;
  }
  return best;
}

function lookupIssuer(c: SlimCertManagerCertificate, index: AcmeIndex): IssuerLookup {
  const ref = c.spec?.issuerRef;
  const name = ref?.name ?? '';
  const kind = ref?.kind || 'Issuer';
  // Only cert-manager's own issuers have a Ready condition Chainboard knows how to read.
  if (!name || (ref?.group !== undefined && ref.group !== '' && ref.group !== 'cert-manager.io')) return { state: 'not-checked', kind, name };
  if (kind !== 'Issuer' && kind !== 'ClusterIssuer') return { state: 'not-checked', kind, name };
  const table = kind === 'ClusterIssuer' ? index.clusterIssuers : index.issuers;
  if (!table) return { state: 'not-checked', kind, name };
  const issuer = table.get(name);
  return issuer ? { state: 'found', kind, name, issuer } : { state: 'missing', kind, name };
}

/** Follow one Certificate through the namespace's request chain. */
export function acmeTrail(c: SlimCertManagerCertificate, index: AcmeIndex): AcmeTrail {
  const trail: AcmeTrail = { certificate: c, issuer: lookupIssuer(c, index), challenges: [], unread: [] };
  trail.request = latest(index.requestsByCertificate.get(c.metadata.name), (r) => r.revision ?? -1);
  if (!trail.request) return trail;
  if (!index.ordersByRequest) {
    trail.unread.push('Order', 'Challenge');
    return trail;
  }
  trail.order = latest(index.ordersByRequest.get(trail.request.metadata.name));
  if (!trail.order) return trail;
  if (!index.challengesByOrder) {
    trail.unread.push('Challenge');
    return trail;
  }
  trail.challenges = [...(index.challengesByOrder.get(trail.order.metadata.name) ?? [])].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  return trail;
}
