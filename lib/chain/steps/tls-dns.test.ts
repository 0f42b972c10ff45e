import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../model/chain';
import type { CertificateInfo } from '../../model/k8s';
import { context, HOST } from '../__fixtures__/load';
import { assembleTlsDns, hostSubject, hostTlsDns, type TlsDnsPart } from './tls-dns';

const cert = (sans: string[]): CertificateInfo => ({
  subject: `CN=${sans[0]}`,
  issuer: 'CN=R11',
  sans,
  notBefore: '2025-05-01T00:00:00Z',
  notAfter: '2025-07-30T00:00:00Z',
  serialNumber: '01',
  fingerprint256: 'AB',
  selfSigned: false,
});

const finding = (code: string, id: string, severity: Finding['severity']): Finding => ({
  id: `${code}:/Ingress/x@${id}`,
  code,
  severity,
  link: { type: 'node', id },
  object: { kind: 'Ingress', name: 'x' },
  message: code,
  hint: 'h',
});

test('a Traefik cert resolver keeps the certificate: the Secret named in spec.tls is only noted', () => {
  const ctx = context('seed');
  const h = hostSubject(ctx.ingresses[0]!, HOST, ctx);
  assert.deepStrictEqual([h.source, h.tlsEnabled, h.tlsReasons], [
    { type: 'resolver', resolver: 'letsencrypt', secretName: 'my-app-tls' },
    true,
    ['router.entrypoints: websecure', 'router.tls.certresolver: letsencrypt', 'spec.tls'],
  ]);
});

test('cert-manager and a plain Secret are certificate sources too, with the Secret and its Certificates', () => {
  const cm = context('tls-cert-manager-ready');
  const h = hostSubject(cm.ingresses[0]!, HOST, cm);
  assert.deepStrictEqual(h.source, { type: 'cert-manager', issuer: 'ClusterIssuer letsencrypt-prod', secretName: 'my-app-tls' });
  assert.deepStrictEqual([h.secret?.metadata.name, h.certificates.map((c) => c.metadata.name)], ['my-app-tls', ['my-app-tls']]);
  const plain = context('tls-secret-valid');
  const p = hostSubject(plain.ingresses[0]!, HOST, plain);
  assert.deepStrictEqual([p.source, p.secret?.certificate?.sans], [{ type: 'secret', secretName: 'my-app-tls' }, [HOST]]);
});

test('the host * has no TLS entry, and an Ingress asking for nothing has no source', () => {
  const ctx = context('seed', (s) => {
    s.ingresses[0]!.metadata.annotations = {};
    s.ingresses[0]!.spec!.tls = [];
  });
  const h = hostSubject(ctx.ingresses[0]!, HOST, ctx);
  assert.deepStrictEqual([h.source, h.tlsEnabled, h.tlsEntry], [{ type: 'none' }, false, undefined]);
  const seed = context('seed');
  assert.equal(hostSubject(seed.ingresses[0]!, '*', seed).tlsEntry, undefined);
});

test('the addresses a host should resolve to are what its Ingresses publish, with the external-dns target', () => {
  const ctx = context('seed', (s) => {
    s.ingresses[0]!.metadata.annotations!['external-dns.alpha.kubernetes.io/target'] = 'lb.example.net,198.51.100.7';
  });
  const r = hostTlsDns(ctx, HOST, ctx.ingresses);
  assert.deepStrictEqual(r.expected, { ips: ['198.51.100.7', '203.0.113.10'], hostnames: ['lb.example.net'] });
  assert.deepStrictEqual(r.parts, [
    {
      tls: { enabled: true, source: { type: 'resolver', resolver: 'letsencrypt', secretName: 'my-app-tls' } },
      dns: { annotatedHostnames: [HOST], loadBalancer: ['203.0.113.10'] },
    },
  ]);
  assert.equal(r.subjects.length, 1);
});

test('TLS and DNS are assembled from all parts: the first source named, TLS if any part has it, every name and address', () => {
  const parts: TlsDnsPart[] = [
    { tls: { enabled: false, source: { type: 'none' } }, dns: { annotatedHostnames: ['b.example.com'], loadBalancer: ['203.0.113.10'] } },
    { tls: { enabled: true, source: { type: 'secret', secretName: 'one' }, secretCertificate: cert([HOST]) }, dns: { annotatedHostnames: ['a.example.com'], loadBalancer: ['203.0.113.10', 'lb.example.net'] } },
    { tls: { enabled: true, source: { type: 'secret', secretName: 'two' }, secretCertificate: cert(['other']) }, dns: { annotatedHostnames: [], loadBalancer: [] } },
  ];
  const findings = [finding('tls.secret-missing', `TLS/${HOST}`, 'critical'), finding('dns.lookup-failed', `DNS/${HOST}`, 'warning'), finding('pod.failed', 'Pod/p', 'warning')];
  const probe = { status: 'nxdomain' as const, host: HOST, checkedAt: '2025-06-01T12:00:00Z' };
  assert.deepStrictEqual(assembleTlsDns(HOST, parts, findings, { dns: probe }, true), {
    tls: {
      id: `TLS/${HOST}`,
      enabled: true,
      source: { type: 'secret', secretName: 'one' },
      check: { state: 'checked', by: 'secret' },
      health: 'down',
      secretCertificate: cert([HOST]),
    },
    dns: {
      id: `DNS/${HOST}`,
      annotatedHostnames: ['a.example.com', 'b.example.com'],
      loadBalancer: ['203.0.113.10', 'lb.example.net'],
      check: { state: 'checked', by: 'probe' },
      health: 'degraded',
      probe,
    },
  });
});

const resolverPart: TlsDnsPart = {
  tls: { enabled: true, source: { type: 'resolver', resolver: 'letsencrypt', secretName: 'my-app-tls' } },
  dns: { annotatedHostnames: [HOST], loadBalancer: ['203.0.113.10'] },
};
const checkAndHealth = (r: ReturnType<typeof assembleTlsDns>) => ({ tls: [r.tls.check, r.tls.health], dns: [r.dns.check, r.dns.health] });

test('with probes off, TLS and DNS without findings are not checked, never healthy', () => {
  assert.deepStrictEqual(checkAndHealth(assembleTlsDns(HOST, [resolverPart], [], undefined, false)), {
    tls: [{ state: 'not-checked', reasons: ['probes-off'] }, 'not-checked'],
    dns: [{ state: 'not-checked', reasons: ['probes-off'] }, 'not-checked'],
  });
});

test('with probes on, a host without a result yet is not yet probed, and a wildcard host is never probed', () => {
  assert.deepStrictEqual(checkAndHealth(assembleTlsDns(HOST, [resolverPart], [], undefined, true)), {
    tls: [{ state: 'not-checked', reasons: ['not-probed'] }, 'not-checked'],
    dns: [{ state: 'not-checked', reasons: ['not-probed'] }, 'not-checked'],
  });
  assert.deepStrictEqual(checkAndHealth(assembleTlsDns('*.my-client.junovy.com', [resolverPart], [], undefined, true)), {
    tls: [{ state: 'not-checked', reasons: ['wildcard-host'] }, 'not-checked'],
    dns: [{ state: 'not-checked', reasons: ['wildcard-host'] }, 'not-checked'],
  });
});

test('a host that was resolved but not dialled has its DNS checked and its certificate not checked for want of an address', () => {
  const dns = { status: 'ok' as const, host: HOST, checkedAt: '2025-06-01T12:00:00Z', a: ['203.0.113.10'], aaaa: [], cname: [] };
  assert.deepStrictEqual(checkAndHealth(assembleTlsDns(HOST, [resolverPart], [], { dns }, true)), {
    tls: [{ state: 'not-checked', reasons: ['no-address'] }, 'not-checked'],
    dns: [{ state: 'checked', by: 'probe' }, 'healthy'],
  });
});

test('once probed, TLS and DNS without findings are checked and healthy', () => {
  const tls = { status: 'ok' as const, host: HOST, target: '203.0.113.10:443', checkedAt: '2025-06-01T12:00:00Z', chain: [cert([HOST])], trusted: true };
  const dns = { status: 'ok' as const, host: HOST, checkedAt: '2025-06-01T12:00:00Z', a: ['203.0.113.10'], aaaa: [], cname: [] };
  assert.deepStrictEqual(checkAndHealth(assembleTlsDns(HOST, [resolverPart], [], { tls, dns }, true)), {
    tls: [{ state: 'checked', by: 'probe' }, 'healthy'],
    dns: [{ state: 'checked', by: 'probe' }, 'healthy'],
  });
});

test('an unchecked link with a finding keeps the health of the finding and still says it was not checked', () => {
  const r = assembleTlsDns(HOST, [resolverPart], [finding('tls.secret-missing', `TLS/${HOST}`, 'critical')], undefined, false);
  assert.deepStrictEqual([r.tls.check, r.tls.health], [{ state: 'not-checked', reasons: ['probes-off'] }, 'down']);
});

test('a certificate in a Secret Chainboard may not read is not checked, for that reason too, until a probe checks it', () => {
  const ctx = context('seed', (s) => {
    const ann = s.ingresses[0]!.metadata.annotations!;
    delete ann['traefik.ingress.kubernetes.io/router.tls.certresolver'];
    delete s.tlsSecrets;
  });
  const { parts } = hostTlsDns(ctx, HOST, ctx.ingresses);
  assert.equal(parts[0]!.tls.secretUnreadable, true);
  assert.deepStrictEqual(assembleTlsDns(HOST, parts, [], undefined, false).tls.check, { state: 'not-checked', reasons: ['probes-off', 'secret-unreadable'] });
  const tls = { status: 'ok' as const, host: HOST, target: '203.0.113.10:443', checkedAt: '2025-06-01T12:00:00Z', chain: [cert([HOST])], trusted: true };
  assert.deepStrictEqual(assembleTlsDns(HOST, parts, [], { tls }, true).tls.check, { state: 'checked', by: 'probe' });
});
