// cert-manager's request chain (CertificateRequests, Issuers, ClusterIssuers, ACME Orders and
// Challenges) watched with the Certificates, against the demo Kubernetes API server: served, it makes
// the stuck step a finding that comes and goes with the objects; not served (a cluster without the
// acme.cert-manager.io CRDs, which the demo server can be started as), it is "not installed" - no outage,
// no gap, and the chain reads "not checked"; forbidden, it is a gap.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startDemoServer, type DemoServer } from '../../demo/server';
import type { KubeObject } from '../../demo/resources';
import { FIXTURE_DUMP } from '../../demo/testing';
import { waitFor } from '../testing/net';
import type { LiveSource } from './live';
import { syncInfo, type AnalysisStore } from './store';
import { watchDemo } from './testing';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const NS = 'hst-acme';
const HOST = 'shop.acme.example.com';
const CHALLENGE = 'shop-tls-2-1-2';
const SELF_CHECK = "Waiting for HTTP-01 challenge propagation: wrong status code '404', expected '200'";
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** A domain whose certificate cert-manager issues, first issuance stuck at an HTTP-01 challenge answered 404. */
function chain(challengeState: 'pending' | 'valid'): KubeObject[] {
  const owner = (kind: string, name: string, apiVersion: string) => [{ apiVersion, kind, name, uid: `uid-${name}`, controller: true }];
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'shop', namespace: NS, annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod', 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure' } },
      spec: {
        ingressClassName: 'traefik-external',
        tls: [{ hosts: [HOST], secretName: 'shop-tls' }],
        rules: [{ host: HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }],
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt-prod' },
      spec: { acme: { server: 'https://acme-v02.api.letsencrypt.org/directory' } },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ACMEAccountRegistered' }] },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'shop-tls', namespace: NS },
      spec: { secretName: 'shop-tls', dnsNames: [HOST], issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' } },
      status: {
        conditions:
          challengeState === 'valid'
            ? [{ type: 'Ready', status: 'True', reason: 'Ready' }]
            : [
                { type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuing certificate as Secret does not exist' },
                { type: 'Issuing', status: 'True', reason: 'DoesNotExist', lastTransitionTime: ago(30) },
              ],
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'CertificateRequest',
      metadata: { name: 'shop-tls-2', namespace: NS, annotations: { 'cert-manager.io/certificate-revision': '2' }, ownerReferences: owner('Certificate', 'shop-tls', 'cert-manager.io/v1') },
      spec: { issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' } },
      status: { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Ready', status: challengeState === 'valid' ? 'True' : 'False', reason: challengeState === 'valid' ? 'Issued' : 'Pending' }] },
    },
    {
      apiVersion: 'acme.cert-manager.io/v1',
      kind: 'Order',
      metadata: { name: 'shop-tls-2-1', namespace: NS, ownerReferences: owner('CertificateRequest', 'shop-tls-2', 'cert-manager.io/v1') },
      spec: { dnsNames: [HOST] },
      status: { state: challengeState === 'valid' ? 'valid' : 'pending', url: 'https://acme-v02.api.letsencrypt.org/acme/order/1/2' },
    },
    {
      apiVersion: 'acme.cert-manager.io/v1',
      kind: 'Challenge',
      metadata: { name: CHALLENGE, namespace: NS, ownerReferences: owner('Order', 'shop-tls-2-1', 'acme.cert-manager.io/v1') },
      spec: { type: 'HTTP-01', dnsName: HOST, token: 'tok' },
      status: challengeState === 'valid' ? { state: 'valid', presented: false, processing: false, reason: 'Successfully authorized domain' } : { state: 'pending', presented: true, processing: true, reason: SELF_CHECK },
    },
  ];
}

async function harness(o: { withoutGroups?: string[]; forbid?: string } = {}): Promise<{ demo: DemoServer; source: LiveSource; store: AnalysisStore }> {
  const demo = await startDemoServer({ dumpPath: FIXTURE_DUMP, ...(o.withoutGroups ? { uninstalledGroups: o.withoutGroups } : {}) });
  cleanups.push(() => demo.close());
  if (o.forbid) demo.forbid({ kind: o.forbid });
  const { source, store, stop } = await watchDemo(demo, { withCertificates: true });
  cleanups.push(stop);
  return { demo, source, store };
}

const codes = (store: AnalysisStore) => store.getResult().result?.domains.find((d) => d.host === HOST)?.findings.map((f) => f.code) ?? [];

describe("cert-manager's request chain from the cluster", () => {
  it('is listed and watched with the Certificates, and its stuck challenge is a finding that goes when the chain finishes', async () => {
    const { demo, source, store } = await harness();
    for (const kind of ['CertificateRequest', 'Order', 'Challenge', 'Issuer', 'ClusterIssuer']) {
      assert.equal(source.kinds().find((k) => k.kind === kind)?.state, 'synced', kind);
    }
    demo.apply(chain('pending'));
    await waitFor('the stuck challenge', () => codes(store).includes('acme.challenge-pending'), { timeoutMs: 20_000 });
    const d = store.getResult().result!.domains.find((x) => x.host === HOST)!;
    const f = d.findings.find((x) => x.code === 'acme.challenge-pending')!;
    assert.deepEqual([f.severity, f.object], ['critical', { kind: 'Challenge', namespace: NS, name: CHALLENGE }]);
    assert.ok(f.message.includes(SELF_CHECK), f.message);
    assert.ok(!codes(store).includes('tls.certificate-not-ready'), 'the generic finding gives way to the stuck step');
    assert.equal(source.snapshot().clusterIssuers?.[0]?.metadata.name, 'letsencrypt-prod');
    demo.apply(chain('valid'));
    await waitFor('the finished chain', () => codes(store).length > 0 && !codes(store).some((c) => c.startsWith('acme.')), { timeoutMs: 20_000 });
  });

  it('is "not installed" where the acme.cert-manager.io group is not served: settled, no gap, not read, and the chain not checked', async () => {
    const { demo, source, store } = await harness({ withoutGroups: ['acme.cert-manager.io'] });
    for (const kind of ['Order', 'Challenge']) {
      assert.equal(source.kinds().find((k) => k.kind === kind)?.state, 'not-installed', kind);
      assert.equal(source.reads(kind as 'Order'), false, kind);
    }
    assert.equal(source.reads('CertificateRequest'), true);
    assert.ok(source.settled());
    assert.deepEqual(source.gaps(), []);
    assert.equal(source.snapshot().orders, undefined);
    assert.equal(source.snapshot().challenges, undefined);
    const sync = syncInfo(store.getResult());
    assert.match(sync.kinds.find((k) => k.kind === 'Order')?.message ?? '', /^not installed: /);
    assert.equal(sync.stale, undefined, 'a kind that is not installed is no outage');
    demo.apply(chain('pending').filter((o) => !o.apiVersion.startsWith('acme.')));
    await waitFor('the not-ready certificate', () => codes(store).includes('tls.certificate-not-ready'), { timeoutMs: 20_000 });
    const f = store.getResult().result!.domains.find((x) => x.host === HOST)!.findings.find((x) => x.code === 'tls.certificate-not-ready')!;
    assert.match(f.message, /Order and Challenge not checked \(not read\)$/);
  });

  it('Challenges Chainboard may not list are a forbidden gap, and the trail stops before them', async () => {
    const { demo, source, store } = await harness({ forbid: 'Challenge' });
    assert.equal(source.kinds().find((k) => k.kind === 'Challenge')?.state, 'forbidden');
    assert.ok(source.gaps().some((g) => g.kind === 'Challenge' && g.reason === 'forbidden'));
    demo.apply(chain('pending'));
    await waitFor('the not-ready certificate', () => codes(store).includes('tls.certificate-not-ready'), { timeoutMs: 20_000 });
    assert.ok(!codes(store).includes('acme.challenge-pending'));
  });
});
