/**
 * cert-manager's ACME chain through the real API server: cert-manager's own CRDs (from the
 * github.com/cert-manager/cert-manager module at CERT_MANAGER_VERSION, versions.sh) validate a
 * Certificate, its CertificateRequests, the ACME Order and the HTTP-01 Challenge stuck behind a 404 (the
 * objects of the engine's fixture `acme-http01-stuck`, owners linked by their live uids, status written
 * through the status subresource as cert-manager writes it). Chainboard (`chainboard check` with
 * CHAINBOARD_CERT_MANAGER and deploy/optional/cert-manager) must name the stuck Challenge with
 * cert-manager's own words; and on the same cluster before the CRDs exist, read cert-manager as not
 * installed, not as an error. No cert-manager controller runs: the test writes what it would.
 *
 *   node --conditions=react-server --import tsx --test e2e/cluster/cert-manager.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chainboardCheck, findingCodes } from './cli';
import { namespace as namespaceObject } from './environments';
import { installCrds } from './crds';
import { startControlPlane, type ControlPlane } from './harness';
import { moduleCrds, pinnedVersion } from './modules';
import { kustomizeBuild, parseObjects, resourcePath, type KubeObject } from './objects';
import { waitFor } from './wait';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOST = 'app.my-client.junovy.com';
/** The fixture's kinds the control plane can hold as they are (its Pods would need nodes of their own). */
const APPLIED = new Set(['IngressClass', 'Ingress', 'Service', 'Secret', 'Certificate', 'ClusterIssuer', 'CertificateRequest', 'Order', 'Challenge']);
const CERT_MANAGER_GROUPS = /(^|\.)cert-manager\.io\//;

let cp: ControlPlane;
let kubeconfig: string;

/** The fixture's objects, in its order (owners before what they own), without the server-set metadata. */
function fixtureObjects(): KubeObject[] {
  const text = readFileSync(join(ROOT, 'lib', 'chain', '__fixtures__', 'acme-http01-stuck.yaml'), 'utf8');
  const [list] = parseObjects(text, 'acme-http01-stuck.yaml') as unknown as [{ items: KubeObject[] }];
  return list.items
    .filter((o) => APPLIED.has(o.kind))
    .map((o) => {
      const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, generation: _g, ...metadata } = o.metadata as Record<string, unknown>;
      // The cluster allocates a Service's addresses from its own range.
      if (o.kind === 'Service') {
        const { clusterIP: _ip, clusterIPs: _ips, ...spec } = o.spec as Record<string, unknown>;
        return { ...o, metadata, spec } as unknown as KubeObject;
      }
      return { ...o, metadata } as KubeObject;
    });
}

async function check(): Promise<{ exit: number; codes: string[]; run: Awaited<ReturnType<typeof chainboardCheck>> }> {
  const run = await chainboardCheck([HOST, '--kubeconfig', kubeconfig, '--no-probe'], { env: { CHAINBOARD_CERT_MANAGER: '1' } });
  const domain = run.json.domains.find((d) => d.host === HOST);
  return { exit: run.exit, codes: domain ? findingCodes(domain) : [], run };
}

describe("cert-manager's CRDs on the real control plane, and Chainboard naming the stuck ACME step", { timeout: 600_000 }, () => {
  before(
    async () => {
      cp = await startControlPlane();
      await cp.applyAll([...kustomizeBuild(join(ROOT, 'deploy', 'base')), ...kustomizeBuild(join(ROOT, 'deploy', 'optional', 'cert-manager'))]);
      kubeconfig = cp.kubeconfigForToken(await cp.createServiceAccountToken('chainboard', 'chainboard'));
    },
    { timeout: 300_000 },
  );
  after(async () => {
    await cp?.stop();
  });

  it("reads a cluster without cert-manager's CRDs as one without cert-manager: no error, and no finding of a chain it could not read", async () => {
    await cp.applyAll([namespaceObject('hst-my-client'), ...fixtureObjects().filter((o) => !CERT_MANAGER_GROUPS.test(o.apiVersion))]);
    const { run } = await check();
    assert.deepEqual(run.json.errors, [], 'no error for a cluster without cert-manager');
    const domain = run.json.domains.find((d) => d.host === HOST);
    assert.ok(domain, `the domain is shown: ${run.json.domains.map((d) => d.host).join(', ')}`);
    assert.ok(!findingCodes(domain).some((c) => c.startsWith('acme.') || c.startsWith('certificate.')), 'nothing of a chain it could not read');
  });

  it("validates the chain with cert-manager's own schemas, and names the Challenge stuck behind a 404 in cert-manager's words", async (t) => {
    const version = pinnedVersion('CERT_MANAGER_VERSION');
    const crds = moduleCrds('github.com/cert-manager/cert-manager', version, 'deploy/crds', /\.yaml$/);
    assert.deepEqual(crds.map((c) => c.metadata.name).sort(), [
      'certificaterequests.cert-manager.io',
      'certificates.cert-manager.io',
      'challenges.acme.cert-manager.io',
      'clusterissuers.cert-manager.io',
      'issuers.cert-manager.io',
      'orders.acme.cert-manager.io',
    ]);
    await installCrds(cp, crds, 'cert-manager');

    // The schema is cert-manager's: a Challenge without its required fields is refused.
    const refused = await cp.api('POST', '/apis/acme.cert-manager.io/v1/namespaces/hst-my-client/challenges', {
      apiVersion: 'acme.cert-manager.io/v1',
      kind: 'Challenge',
      metadata: { name: 'incomplete', namespace: 'hst-my-client' },
      spec: { type: 'HTTP-01' },
    });
    assert.equal(refused.status, 422, `an incomplete Challenge is refused: ${refused.status}`);

    // Owners first; each owner reference gets its owner's live uid (the garbage collector removes
    // objects whose owner does not exist), and status goes through the status subresource.
    const uids = new Map<string, string>();
    for (const o of fixtureObjects().filter((x) => CERT_MANAGER_GROUPS.test(x.apiVersion))) {
      const owners = (o.metadata.ownerReferences as { kind: string; name: string; uid?: string }[] | undefined)?.map((r) => ({ ...r, uid: uids.get(`${r.kind}/${r.name}`) }));
      const { status, ...spec } = o as KubeObject & { status?: unknown };
      const live = await cp.apply<{ metadata: { uid: string } }>({ ...spec, metadata: { ...o.metadata, ...(owners ? { ownerReferences: owners.filter((r) => r.uid) } : {}) } } as KubeObject);
      uids.set(`${o.kind}/${o.metadata.name}`, live.metadata.uid);
      if (status) {
        const r = await cp.api('PATCH', `${resourcePath(o)}/status`, { status }, 'application/merge-patch+json');
        assert.equal(r.status, 200, `status of ${o.kind} ${o.metadata.name}: ${r.status} ${JSON.stringify(r.body)}`);
      }
    }

    const v = await waitFor('Chainboard to name the stuck Challenge', async () => {
      const x = await check();
      return x.codes.includes('acme.challenge-pending') ? x : undefined;
    }, { timeoutMs: 60_000, intervalMs: 1000 });
    t.diagnostic(`codes: ${v.codes.join(', ')}`);
    assert.deepEqual(v.run.json.errors, []);
    const domain = v.run.json.domains.find((d) => d.host === HOST)!;
    const f = domain.findings.find((x) => x.code === 'acme.challenge-pending')!;
    assert.deepEqual([f.object.kind, f.object.name], ['Challenge', 'my-app-tls-2-3171512334-1908421457']);
    assert.match(f.message, /wrong status code '404', expected '200'/, "cert-manager's own words");
    assert.match(f.hint, /challenge/i);
    assert.ok(!v.codes.includes('tls.certificate-not-ready'), 'the generic symptom gives way to the stuck step');
  });
});
