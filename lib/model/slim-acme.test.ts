import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slimObject } from './slim';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'hst-acme',
  uid: `uid-${name}`,
  resourceVersion: '42',
  creationTimestamp: '2025-06-01T10:00:00Z',
  managedFields: [{ manager: 'cert-manager-certificates-request-manager' }],
  ...extra,
});

test('a CertificateRequest keeps its Certificate, revision, issuerRef and conditions, and drops the CSR', () => {
  const r = slimObject({
    apiVersion: 'cert-manager.io/v1',
    kind: 'CertificateRequest',
    metadata: meta('shop-tls-3', {
      annotations: { 'cert-manager.io/certificate-name': 'shop-tls', 'cert-manager.io/certificate-revision': '3', 'cert-manager.io/private-key-secret-name': 'shop-tls-x' },
      ownerReferences: [{ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'shop-tls', uid: 'u1', controller: true }],
    }),
    spec: { request: 'LS0tLS1CRUdJTi...', issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' }, usages: ['digital signature'] },
    status: {
      conditions: [
        { type: 'Approved', status: 'True', reason: 'cert-manager.io', message: 'Certificate request has been approved by cert-manager.io', lastTransitionTime: '2025-06-01T10:00:01Z' },
        { type: 'Ready', status: 'False', reason: 'Pending', message: 'Waiting on certificate issuance from order hst-acme/shop-tls-3-1234: "pending"', lastTransitionTime: '2025-06-01T10:00:02Z' },
      ],
    },
  });
  assert.deepStrictEqual(r, {
    ok: true,
    object: {
      kind: 'CertificateRequest',
      metadata: {
        name: 'shop-tls-3',
        namespace: 'hst-acme',
        uid: 'uid-shop-tls-3',
        resourceVersion: '42',
        creationTimestamp: '2025-06-01T10:00:00Z',
        annotations: { 'cert-manager.io/certificate-name': 'shop-tls', 'cert-manager.io/certificate-revision': '3' },
        ownerReferences: [{ kind: 'Certificate', name: 'shop-tls', uid: 'u1', controller: true }],
      },
      owner: { kind: 'Certificate', name: 'shop-tls' },
      revision: 3,
      spec: { issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' } },
      status: {
        conditions: [
          { type: 'Approved', status: 'True', reason: 'cert-manager.io', message: 'Certificate request has been approved by cert-manager.io', lastTransitionTime: '2025-06-01T10:00:01Z' },
          { type: 'Ready', status: 'False', reason: 'Pending', message: 'Waiting on certificate issuance from order hst-acme/shop-tls-3-1234: "pending"', lastTransitionTime: '2025-06-01T10:00:02Z' },
        ],
      },
    },
  });
});

test('a CertificateRequest without owner references is tied to its Certificate by the certificate-name annotation', () => {
  const r = slimObject({ kind: 'CertificateRequest', metadata: meta('a-1', { annotations: { 'cert-manager.io/certificate-name': 'a' } }) });
  assert.ok(r.ok && r.object.kind === 'CertificateRequest');
  assert.deepStrictEqual(r.object.owner, { kind: 'Certificate', name: 'a' });
});

test('an Order keeps its state, reason, URL, authorizations and owning request', () => {
  const r = slimObject({
    apiVersion: 'acme.cert-manager.io/v1',
    kind: 'Order',
    metadata: meta('shop-tls-3-1234', { ownerReferences: [{ kind: 'CertificateRequest', name: 'shop-tls-3', controller: true }] }),
    spec: { request: 'LS0t', dnsNames: ['shop.example.com'], issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' } },
    status: {
      state: 'errored',
      reason: 'Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates already issued',
      url: 'https://acme-v02.api.letsencrypt.org/acme/order/1/2',
      finalizeURL: 'https://acme-v02.api.letsencrypt.org/acme/finalize/1/2',
      authorizations: [{ url: 'https://acme/authz/1', identifier: 'shop.example.com', initialState: 'pending', wildcard: false, challenges: [{ token: 't', type: 'http-01', url: 'u' }] }],
    },
  });
  assert.deepStrictEqual(r.ok && r.object, {
    kind: 'Order',
    metadata: { name: 'shop-tls-3-1234', namespace: 'hst-acme', uid: 'uid-shop-tls-3-1234', resourceVersion: '42', creationTimestamp: '2025-06-01T10:00:00Z', ownerReferences: [{ kind: 'CertificateRequest', name: 'shop-tls-3', controller: true }] },
    owner: { kind: 'CertificateRequest', name: 'shop-tls-3' },
    spec: { dnsNames: ['shop.example.com'], issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' } },
    status: {
      state: 'errored',
      reason: 'Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates already issued',
      url: 'https://acme-v02.api.letsencrypt.org/acme/order/1/2',
      authorizations: [{ identifier: 'shop.example.com', wildcard: false, state: 'pending', url: 'https://acme/authz/1' }],
    },
  });
});

test('a Challenge keeps type, name, token and the self-check reason, never the key authorization', () => {
  const r = slimObject({
    apiVersion: 'acme.cert-manager.io/v1',
    kind: 'Challenge',
    metadata: meta('shop-tls-3-1234-567', { ownerReferences: [{ kind: 'Order', name: 'shop-tls-3-1234', controller: true }] }),
    spec: { type: 'HTTP-01', dnsName: 'shop.example.com', token: 'tok', key: 'tok.thumbprint', url: 'https://acme/chall/1', solver: { http01: { ingress: { class: 'traefik' } } } },
    status: { state: 'pending', presented: true, processing: true, reason: "Waiting for HTTP-01 challenge propagation: wrong status code '404', expected '200'" },
  });
  assert.ok(r.ok);
  assert.deepStrictEqual(r.object, {
    kind: 'Challenge',
    metadata: { name: 'shop-tls-3-1234-567', namespace: 'hst-acme', uid: 'uid-shop-tls-3-1234-567', resourceVersion: '42', creationTimestamp: '2025-06-01T10:00:00Z', ownerReferences: [{ kind: 'Order', name: 'shop-tls-3-1234', controller: true }] },
    owner: { kind: 'Order', name: 'shop-tls-3-1234' },
    spec: { type: 'HTTP-01', dnsName: 'shop.example.com', token: 'tok' },
    status: { state: 'pending', reason: "Waiting for HTTP-01 challenge propagation: wrong status code '404', expected '200'", presented: true, processing: true },
  });
  assert.ok(!JSON.stringify(r.object).includes('thumbprint'));
});

test('malformed ACME objects are reshaped with what is usable and say what was not', () => {
  const ch = slimObject({ kind: 'Challenge', metadata: meta('c'), spec: { type: 'TLS-ALPN-01', dnsName: 7 }, status: { state: 'weird', presented: 'yes' } });
  assert.ok(ch.ok);
  assert.deepStrictEqual((ch.object as { malformed?: string[] }).malformed, [
    'spec.type "TLS-ALPN-01" is neither HTTP-01 nor DNS-01',
    'status.presented is not a boolean',
    'spec.dnsName is not a string',
    'status.state "weird" is not an ACME state',
  ]);
  const order = slimObject({ kind: 'Order', metadata: meta('o'), spec: 'nope', status: { state: 3, authorizations: {} } });
  assert.ok(order.ok);
  assert.deepStrictEqual((order.object as { malformed?: string[] }).malformed, ['status.authorizations is not a list', 'status.state is not a string']);
  const cr = slimObject({ kind: 'CertificateRequest', metadata: meta('r', { annotations: { 'cert-manager.io/certificate-revision': 'x' } }), spec: { issuerRef: 'le' }, status: { conditions: 'Ready' } });
  assert.ok(cr.ok);
  assert.deepStrictEqual((cr.object as { malformed?: string[] }).malformed, [
    'annotation cert-manager.io/certificate-revision "x" is not a number',
    'spec.issuerRef is not an object',
    'status.conditions is not a list',
  ]);
  assert.deepStrictEqual(slimObject({ kind: 'Order', metadata: {} }), { ok: false, error: 'Order has no metadata.name' });
});

test('an Issuer and a ClusterIssuer keep their Ready condition and ACME server only', () => {
  const spec = { acme: { server: 'https://acme-v02.api.letsencrypt.org/directory', email: 'ops@example.com', privateKeySecretRef: { name: 'le-key' }, solvers: [{ http01: { ingress: {} } }] } };
  const status = { acme: { uri: 'https://acme/acct/1' }, conditions: [{ type: 'Ready', status: 'False', reason: 'ErrRegisterACMEAccount', message: 'Failed to register ACME account: 400 urn:ietf:params:acme:error:invalidContact' }] };
  const r = slimObject({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt-prod' }, spec, status });
  assert.deepStrictEqual(r, {
    ok: true,
    object: {
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt-prod' },
      spec: { acme: { server: 'https://acme-v02.api.letsencrypt.org/directory' } },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'ErrRegisterACMEAccount', message: 'Failed to register ACME account: 400 urn:ietf:params:acme:error:invalidContact' }] },
    },
  });
  const i = slimObject({ kind: 'Issuer', metadata: { name: 'ca', namespace: 'hst-acme' }, spec: { ca: { secretName: 'ca' } } });
  assert.deepStrictEqual(i, { ok: true, object: { kind: 'Issuer', metadata: { name: 'ca', namespace: 'hst-acme' }, spec: {}, status: {} } });
});
