/**
 * Static checks of Chainboard's own manifests: read-only RBAC, the Deployment's hardening and probes, and
 * the Ingress -> Service -> Pod chain Chainboard is itself served through. When e2e/cluster/build.sh
 * has built kustomize, every kustomization is also rendered exactly as `kubectl apply -k` would.
 *
 *   node --conditions=react-server --import tsx --test deploy/manifests.test.ts
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { builtBinary } from '../e2e/cluster/bin';

const DEPLOY = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(DEPLOY);
const READ_VERBS = new Set(['get', 'list', 'watch']);

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}
interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface Loaded {
  file: string;
  obj: Obj;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return yamlFiles(p);
      return /\.ya?ml$/.test(name) ? [p] : [];
    });
}

function parse(text: string, where: string): Obj[] {
  return parseAllDocuments(text).flatMap((doc) => {
    assert.equal(doc.errors.length, 0, `${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const v = doc.toJS() as Obj | null;
    return v === null ? [] : [v];
  });
}

const files = yamlFiles(DEPLOY);
const all: Loaded[] = files.flatMap((file) => parse(readFileSync(file, 'utf8'), file).map((obj) => ({ file: relative(DEPLOY, file), obj })));
const manifests = all.filter((l) => l.obj.kind !== 'Kustomization');
const kustomizations = all.filter((l) => l.obj.kind === 'Kustomization');
const inDir = (prefix: string) => manifests.filter((l) => l.file.startsWith(prefix));
const one = (prefix: string, kind: string, name?: string): Obj => {
  const found = inDir(prefix).filter((l) => l.obj.kind === kind && (name === undefined || l.obj.metadata.name === name));
  assert.equal(found.length, 1, `exactly one ${kind}${name ? ` ${name}` : ''} in deploy/${prefix}`);
  return found[0]!.obj;
};
const rulesOf = (o: Obj): Rule[] => (o.rules as Rule[] | undefined) ?? [];
const isRole = (o: Obj) => o.kind === 'Role' || o.kind === 'ClusterRole';

/** The (group, resource) pairs a set of rules grants. */
function grants(rules: Rule[]): string[] {
  return rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${g || 'core'}/${res}`))).sort();
}

const REQUIRED = [
  'core/events',
  'core/namespaces',
  'core/pods',
  'core/services',
  'discovery.k8s.io/endpointslices',
  'events.k8s.io/events',
  'networking.k8s.io/ingressclasses',
  'networking.k8s.io/ingresses',
];

describe('deploy/ manifests', () => {
  it('all parse as Kubernetes objects with apiVersion, kind and a name', () => {
    assert.ok(manifests.length >= 10, `found ${manifests.length} objects`);
    for (const { file, obj } of manifests) {
      assert.ok(obj.apiVersion && obj.kind && obj.metadata?.name, `${file}: ${JSON.stringify(obj).slice(0, 80)}`);
    }
  });

  it('grant only get, list and watch, on named resources, never with wildcards', () => {
    const roles = manifests.filter((l) => isRole(l.obj));
    assert.ok(roles.length >= 5);
    for (const { file, obj } of roles) {
      assert.ok(rulesOf(obj).length > 0, `${file}: ${obj.metadata.name} has rules`);
      for (const rule of rulesOf(obj)) {
        assert.deepEqual(rule.verbs.filter((v) => !READ_VERBS.has(v)), [], `${file}: ${obj.metadata.name} verbs ${rule.verbs.join(',')}`);
        assert.equal(rule.nonResourceURLs, undefined, `${file}: no non-resource URLs`);
        for (const field of [rule.apiGroups, rule.resources, rule.verbs]) assert.ok(!(field ?? []).includes('*'), `${file}: no wildcard`);
        assert.ok(!(rule.resources ?? []).some((r) => r.includes('/')), `${file}: no subresources (pods/exec, pods/log, ...)`);
      }
    }
  });

  it('give the base ClusterRole exactly what Chainboard watches, and never v1 Endpoints or Secrets', () => {
    const role = one('base/', 'ClusterRole', 'chainboard-reader');
    assert.deepEqual(grants(rulesOf(role)), REQUIRED);
  });

  it('grant Secrets only in the optional tls-secrets role, and cert-manager Certificates only in its optional role', () => {
    for (const { file, obj } of manifests.filter((l) => isRole(l.obj))) {
      const g = grants(rulesOf(obj));
      if (g.includes('core/secrets')) assert.ok(file.startsWith('optional/tls-secrets/'), `${file} must not grant secrets`);
      if (g.some((x) => x.startsWith('cert-manager.io/') || x.startsWith('acme.cert-manager.io/'))) assert.ok(file.startsWith('optional/cert-manager/'), `${file} must not grant cert-manager`);
      assert.ok(!g.includes('core/endpoints'), `${file}: v1 Endpoints are never read`);
    }
    assert.deepEqual(grants(rulesOf(one('optional/tls-secrets/', 'ClusterRole'))), ['core/secrets']);
    assert.deepEqual(grants(rulesOf(one('optional/cert-manager/', 'ClusterRole'))).sort(), [
      'acme.cert-manager.io/challenges',
      'acme.cert-manager.io/orders',
      'cert-manager.io/certificaterequests',
      'cert-manager.io/certificates',
      'cert-manager.io/clusterissuers',
      'cert-manager.io/issuers',
    ]);
  });

  it('grant Traefik Middlewares and IngressRoutes only in their optional roles, and nothing else of Traefik', () => {
    for (const { file, obj } of manifests.filter((l) => isRole(l.obj))) {
      const g = grants(rulesOf(obj));
      if (g.some((x) => x.startsWith('traefik.io/'))) {
        assert.ok(file.startsWith('optional/traefik-middlewares/') || file.startsWith('optional/traefik-ingressroutes/'), `${file} must not grant traefik.io`);
      }
    }
    assert.deepEqual(grants(rulesOf(one('optional/traefik-middlewares/', 'ClusterRole'))), ['traefik.io/middlewares']);
    assert.deepEqual(grants(rulesOf(one('optional/traefik-ingressroutes/', 'ClusterRole'))), ['traefik.io/ingressroutes']);
  });

  it('grant the Gateway API only in its optional role: read-only, its four kinds, status included in the objects', () => {
    for (const { file, obj } of manifests.filter((l) => isRole(l.obj))) {
      const g = grants(rulesOf(obj));
      if (g.some((x) => x.startsWith('gateway.networking.k8s.io/'))) assert.ok(file.startsWith('optional/gateway-api/'), `${file} must not grant gateway.networking.k8s.io`);
    }
    assert.deepEqual(grants(rulesOf(one('optional/gateway-api/', 'ClusterRole'))), [
      'gateway.networking.k8s.io/gatewayclasses',
      'gateway.networking.k8s.io/gateways',
      'gateway.networking.k8s.io/httproutes',
      'gateway.networking.k8s.io/referencegrants',
    ]);
  });

  it('bind every role to the chainboard ServiceAccount that the Deployment runs as', () => {
    const sa = one('base/', 'ServiceAccount');
    const dep = one('base/', 'Deployment');
    const spec = (dep.spec as { template: { spec: { serviceAccountName: string } } }).template.spec;
    assert.equal(spec.serviceAccountName, sa.metadata.name);
    const roles = manifests.filter((l) => isRole(l.obj));
    const bindings = manifests.filter((l) => l.obj.kind === 'RoleBinding' || l.obj.kind === 'ClusterRoleBinding');
    assert.equal(bindings.length, roles.length, 'one binding per role');
    for (const { file, obj } of bindings) {
      const roleRef = obj.roleRef as { kind: string; name: string };
      const subjects = obj.subjects as { kind: string; name: string; namespace: string }[];
      assert.deepEqual(subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }], file);
      const target = roles.find(
        (r) => r.obj.kind === roleRef.kind && r.obj.metadata.name === roleRef.name && (roleRef.kind === 'ClusterRole' || r.obj.metadata.namespace === obj.metadata.namespace),
      );
      assert.ok(target, `${file}: ${obj.metadata.name} refers to a role defined in deploy/`);
    }
  });

  it('run the Deployment non-root, read-only, without capabilities, with limits and the two probes', () => {
    const dep = one('base/', 'Deployment');
    type C = {
      name: string;
      image: string;
      ports: { name: string; containerPort: number }[];
      env: { name: string; value?: string }[];
      securityContext: Record<string, unknown>;
      resources: { requests: Record<string, string>; limits: Record<string, string> };
      readinessProbe: { httpGet: { path: string; port: string } };
      livenessProbe: { httpGet: { path: string; port: string } };
      volumeMounts: { name: string; mountPath: string }[];
    };
    const pod = (dep.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
      securityContext: Record<string, unknown>;
      containers: C[];
      volumes: { name: string; emptyDir?: object; persistentVolumeClaim?: { claimName: string } }[];
    };
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(Number(pod.securityContext.runAsUser) > 0);
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
    assert.equal(pod.containers.length, 1);
    const c = pod.containers[0]!;
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] });
    for (const r of ['cpu', 'memory']) {
      assert.ok(c.resources.requests[r], `requests.${r}`);
      assert.ok(c.resources.limits[r], `limits.${r}`);
    }
    assert.deepEqual(c.readinessProbe.httpGet, { path: '/api/readyz', port: 'http' });
    assert.deepEqual(c.livenessProbe.httpGet, { path: '/api/healthz', port: 'http' });
    assert.deepEqual(c.ports, [{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    // Writable besides the data dir: emptyDirs for /tmp and Next's cache.
    const mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.mountPath, m.name]));
    for (const path of ['/tmp', '/app/.next/cache']) {
      const vol = pod.volumes.find((v) => v.name === mounts[path]);
      assert.ok(vol?.emptyDir, `${path} is an emptyDir`);
    }
    const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    assert.equal(env.CHAINBOARD_NAMESPACE_PREFIX, 'hst-');
    // The embedded history store is the one persistent path: the data dir on the claim of pvc.yaml, with
    // a Recreate strategy so two Pods never open the single-process store at once.
    const data = pod.volumes.find((v) => v.name === mounts[env.CHAINBOARD_DATA_DIR ?? '']);
    const claim = one('base/', 'PersistentVolumeClaim');
    assert.equal(data?.persistentVolumeClaim?.claimName, claim.metadata.name);
    assert.deepEqual((claim.spec as { accessModes: string[] }).accessModes, ['ReadWriteOnce']);
    assert.equal((dep.spec as { strategy: { type: string } }).strategy.type, 'Recreate');
    assert.equal((dep.spec as { replicas: number }).replicas, 1);
    // The listen address is the image's CMD flag (-H 0.0.0.0), never $HOSTNAME (the Pod's name).
    assert.equal(env.HOSTNAME, undefined);
    assert.ok(!c.image.endsWith(':latest'), 'a pinned image tag');
  });

  it('serve Chainboard through its own chain: Traefik Ingress -> Service port -> container port', () => {
    const ing = one('base/', 'Ingress');
    const svc = one('base/', 'Service');
    const dep = one('base/', 'Deployment');
    type IngSpec = {
      ingressClassName: string;
      tls: { hosts: string[]; secretName: string }[];
      rules: { host: string; http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] } }[];
    };
    const spec = ing.spec as IngSpec;
    const a = ing.metadata.annotations ?? {};
    assert.equal(spec.ingressClassName, 'traefik-external');
    assert.equal(a['traefik.ingress.kubernetes.io/router.tls.certresolver'], 'letsencrypt');
    assert.equal(a['traefik.ingress.kubernetes.io/router.entrypoints'], 'websecure');
    const host = spec.rules[0]?.host;
    assert.ok(host);
    assert.equal(a['external-dns.alpha.kubernetes.io/hostname'], host);
    assert.deepEqual(spec.tls[0]?.hosts, [host]);
    const backend = spec.rules[0]?.http.paths[0]?.backend.service;
    assert.equal(backend?.name, svc.metadata.name);
    assert.equal(ing.metadata.namespace, svc.metadata.namespace);
    const svcSpec = svc.spec as { selector: Record<string, string>; ports: { name: string; targetPort: string }[] };
    const port = svcSpec.ports.find((p) => p.name === backend?.port.name);
    assert.ok(port, 'the Ingress names a Service port that exists');
    const tpl = (dep.spec as { template: { metadata: { labels: Record<string, string> }; spec: { containers: { ports: { name: string }[] }[] } } }).template;
    for (const [k, v] of Object.entries(svcSpec.selector)) assert.equal(tpl.metadata.labels[k], v, `the Service selects the Pods (${k})`);
    assert.ok(tpl.spec.containers[0]?.ports.some((p) => p.name === port.targetPort), 'the targetPort is a named container port');
  });

  it('give the namespaced variant one Role and RoleBinding per namespace in CHAINBOARD_NAMESPACES', () => {
    const roles = inDir('namespaced/').filter((l) => l.obj.kind === 'Role');
    const bindings = inDir('namespaced/').filter((l) => l.obj.kind === 'RoleBinding');
    assert.ok(roles.length >= 1);
    assert.ok(!inDir('namespaced/').some((l) => l.obj.kind === 'ClusterRole' || l.obj.kind === 'ClusterRoleBinding'));
    const patch = one('namespaced/', 'Deployment');
    const env = (patch.spec as { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } }).template.spec.containers[0]?.env ?? [];
    const listed = env.find((e) => e.name === 'CHAINBOARD_NAMESPACES')?.value.split(',').sort();
    assert.deepEqual(roles.map((r) => r.obj.metadata.namespace).sort(), listed);
    assert.deepEqual(bindings.map((r) => r.obj.metadata.namespace).sort(), listed);
    for (const r of roles) assert.deepEqual(grants(rulesOf(r.obj)), REQUIRED.filter((g) => g !== 'core/namespaces' && g !== 'networking.k8s.io/ingressclasses'));
  });

  it('list in each kustomization only files and folders that exist', () => {
    assert.ok(kustomizations.length >= 5);
    for (const { file, obj } of kustomizations) {
      const dir = dirname(join(DEPLOY, file));
      const refs = [...((obj.resources as string[] | undefined) ?? []), ...(((obj.patches as { path?: string }[] | undefined) ?? []).flatMap((p) => (p.path ? [p.path] : [])))];
      for (const r of refs) assert.ok(existsSync(join(dir, r)), `${file}: ${r} exists`);
    }
  });

  it('build the image around bin/chainboard-server.mjs, production dependencies only, as the unprivileged node user', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM node:20-slim AS build$/m);
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(dockerfile, /^COPY --from=prod-deps \/app\/node_modules \.\/node_modules$/m);
    assert.match(dockerfile, /^COPY --from=build \/app\/\.next \.\/\.next$/m);
    assert.match(dockerfile, /^COPY --from=build \/app\/bin\/chainboard-server\.mjs \.\/bin\/$/m);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^EXPOSE 3000$/m);
    assert.match(dockerfile, /^CMD \["node", "bin\/chainboard-server\.mjs", "-H", "0\.0\.0\.0"\]$/m);
    // A custom server cannot run from Next's standalone output.
    assert.doesNotMatch(readFileSync(join(ROOT, 'next.config.js'), 'utf8'), /^\s*output:\s*'standalone'/m);
    // Everything the server imports at run time is a production dependency.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
    for (const dep of ['next', 'react', 'react-dom', '@kubernetes/client-node']) assert.ok(pkg.dependencies[dep], `${dep} is a dependency`);
    assert.equal(pkg.scripts.start, 'node bin/chainboard-server.mjs');
  });

  describe('rendered by kustomize', () => {
    const kustomize = builtBinary('kustomize');
    const build = (dir: string): Obj[] => parse(execFileSync(kustomize!, ['build', join(DEPLOY, dir)], { encoding: 'utf8' }), dir);
    const skip = kustomize ? false : 'kustomize is not built: run `bash e2e/cluster/build.sh`';

    it('renders deploy/base as the eight objects of a cluster-wide install', { skip }, () => {
      const objs = build('base');
      assert.deepEqual(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
        'ClusterRole/chainboard-reader',
        'ClusterRoleBinding/chainboard-reader',
        'Deployment/chainboard',
        'Ingress/chainboard',
        'Namespace/chainboard',
        'PersistentVolumeClaim/chainboard-data',
        'Service/chainboard',
        'ServiceAccount/chainboard',
      ]);
    });

    it('renders deploy/namespaced without any cluster-scoped RBAC and with CHAINBOARD_NAMESPACES set', { skip }, () => {
      const objs = build('namespaced');
      assert.ok(!objs.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding'));
      assert.ok(objs.filter((o) => o.kind === 'Role').length >= 1);
      const dep = objs.find((o) => o.kind === 'Deployment');
      const env = (dep?.spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec.containers[0]?.env ?? [];
      const names = env.map((e) => e.name);
      assert.ok(names.includes('CHAINBOARD_NAMESPACES'), 'the patch adds CHAINBOARD_NAMESPACES');
      assert.ok(names.includes('CHAINBOARD_NAMESPACE_PREFIX'), 'and keeps the base env');
    });

    it('renders every optional role', { skip }, () => {
      for (const dir of ['optional/tls-secrets', 'optional/cert-manager', 'optional/ingressclass-reader', 'optional/traefik-middlewares', 'optional/traefik-ingressroutes', 'optional/gateway-api']) {
        assert.deepEqual(build(dir).map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRoleBinding'], dir);
      }
    });
  });
});
