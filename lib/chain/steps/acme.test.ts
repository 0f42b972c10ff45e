import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SlimCertificateRequest, SlimCertManagerCertificate } from '../../model/k8s';
import { emptySnapshot } from '../../model/snapshot';
import { acmeIndex, acmeTrail } from './acme';

const NS = 'hst-a';
const cert: SlimCertManagerCertificate = { metadata: { name: 'web-tls', namespace: NS }, spec: { secretName: 'web-tls', issuerRef: { name: 'le', kind: 'ClusterIssuer' } } };
const request = (name: string, created: string, revision?: number): SlimCertificateRequest => ({
  metadata: { name, namespace: NS, creationTimestamp: created },
  owner: { kind: 'Certificate', name: 'web-tls' },
  ...(revision !== undefined ? { revision } : {}),
});

test('the latest request is the one of the highest revision, even when an older revision was made later', () => {
  const s = { ...emptySnapshot(), certificateRequests: [request('web-tls-3', '2025-06-01T09:00:00Z', 3), request('web-tls-2', '2025-06-01T10:00:00Z', 2)], orders: [], challenges: [] };
  assert.equal(acmeTrail(cert, acmeIndex(s, NS, new Set())!).request?.metadata.name, 'web-tls-3');
});

test('without revisions the newest request is the latest; requests of other Certificates and namespaces are not', () => {
  const other = { ...request('api-tls-9', '2025-06-02T00:00:00Z'), owner: { kind: 'Certificate', name: 'api-tls' } };
  const elsewhere = { ...request('web-tls-x', '2025-06-03T00:00:00Z'), metadata: { name: 'web-tls-x', namespace: 'hst-b', creationTimestamp: '2025-06-03T00:00:00Z' } };
  const s = { ...emptySnapshot(), certificateRequests: [request('web-tls-a', '2025-06-01T09:00:00Z'), request('web-tls-b', '2025-06-01T10:00:00Z'), other, elsewhere], orders: [], challenges: [] };
  assert.equal(acmeTrail(cert, acmeIndex(s, NS, new Set())!).request?.metadata.name, 'web-tls-b');
});

test('the trail stops where a kind is not read, and says which; the issuer is not checked when ClusterIssuers are not read', () => {
  const s = { ...emptySnapshot(), certificateRequests: [request('web-tls-1', '2025-06-01T09:00:00Z', 1)] };
  const trail = acmeTrail(cert, acmeIndex(s, NS, new Set())!);
  assert.deepEqual(trail.unread, ['Order', 'Challenge']);
  assert.deepEqual(trail.issuer, { state: 'not-checked', kind: 'ClusterIssuer', name: 'le' });
  assert.equal(acmeIndex({ ...s, certificateRequests: undefined }, NS, new Set()), undefined);
  assert.equal(acmeIndex(s, NS, new Set(['CertificateRequest'])), undefined);
});

test("an issuer of another group (an external issuer) is not judged: its readiness is not cert-manager's Ready", () => {
  const s = { ...emptySnapshot(), certificateRequests: [], orders: [], challenges: [], clusterIssuers: [] };
  const external = { ...cert, spec: { issuerRef: { name: 'pca', kind: 'AWSPCAClusterIssuer', group: 'awspca.cert-manager.io' } } };
  assert.equal(acmeTrail(external, acmeIndex(s, NS, new Set())!).issuer.state, 'not-checked');
  assert.equal(acmeTrail(cert, acmeIndex(s, NS, new Set())!).issuer.state, 'missing');
});
