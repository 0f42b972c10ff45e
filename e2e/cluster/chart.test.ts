/**
 * The Helm chart (charts/chainboard) with the real helm (built by charts/build-tools.sh): `helm lint` and
 * `helm template` with every tested values set (charts/chainboard/ci/*.yaml); every rendered role holds
 * only get/list/watch; the defaults render the same core objects as `kustomize build deploy/base`; the
 * optional read groups are deploy/optional's roles; and every rendered object is accepted by a real
 * kube-apiserver (server-side apply, dry run), the ServiceMonitor and PrometheusRule by the Prometheus
 * Operator's own CRDs (their OpenAPI schemas) installed in it.
 *
 *   bash e2e/cluster/build.sh && bash charts/build-tools.sh
 *   node --conditions=react-server --import tsx --test e2e/cluster/chart.test.ts
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { monitoringCrds, ROOT, run } from './chart-tools';
import { startControlPlane, type ControlPlane } from './harness';
import { kustomizeBuild, parseObjects, resourcePath, type KubeObject } from './objects';
import { waitFor } from './wait';

const CHART = join(ROOT, 'charts', 'chainboard');
const VALUES = readdirSync(join(CHART, 'ci'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const READ_ONLY = ['get', 'list', 'watch'];

/** `helm template` of the chart as release `release` in namespace `namespace`; throws with helm's message. */
function template(args: string[], release = 'chainboard', namespace = 'chainboard'): KubeObject[] {
  const r = run('helm', ['template', release, CHART, '--namespace', namespace, ...args]);
  if (r.status !== 0) throw new Error(`helm template ${args.join(' ')} failed: ${r.stderr}`);
  return parseObjects(r.stdout, `helm template ${args.join(' ')}`);
}

const values = (file: string) => ['--values', join(CHART, 'ci', file)];
const one = (objs: KubeObject[], kind: string, name?: string) => {
  const found = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.equal(found.length, 1, `one ${kind}${name ? ` ${name}` : ''}, got ${found.length}`);
  // Rendered objects are plain parsed YAML: the assertions below walk them freely.
  return found[0]! as KubeObject & { metadata: Record<string, any>; [k: string]: any };
};

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
  resourceNames?: string[];
}

type Container = {
  name: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  volumeMounts?: { name: string; mountPath: string }[];
  [k: string]: unknown;
};

const container = (objs: KubeObject[]): Container => (one(objs, 'Deployment').spec.template.spec.containers as Container[])[0]!;
const envOf = (objs: KubeObject[]) => Object.fromEntries((container(objs).env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
const byName = <T extends { name: string }>(xs: T[] = []) => [...xs].sort((a, b) => a.name.localeCompare(b.name));

describe('the Helm chart', () => {
  it('has the values sets it documents', () => {
    assert.deepEqual(VALUES, ['cluster-full-values.yaml', 'default-values.yaml', 'namespaced-values.yaml', 'no-history-values.yaml', 'remote-clusters-values.yaml']);
  });

  for (const file of VALUES) {
    it(`passes helm lint --strict with ci/${file}`, () => {
      const r = run('helm', ['lint', CHART, '--strict', ...values(file)]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });

    it(`renders ci/${file} with read-only roles bound to its own ServiceAccount`, () => {
      const objs = template(values(file), 'cb');
      assert.ok(objs.length >= 6);
      const sa = one(objs, 'ServiceAccount');
      assert.equal(one(objs, 'Deployment').spec.template.spec.serviceAccountName, sa.metadata.name);
      const roles = objs.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
      assert.ok(roles.length > 0, 'the chart grants Chainboard something to read');
      for (const role of roles) {
        for (const rule of role.rules as Rule[]) {
          const where = `${role.kind} ${role.metadata.name} ${JSON.stringify(rule)}`;
          assert.ok(rule.verbs.length > 0 && rule.verbs.every((v) => READ_ONLY.includes(v)), `only get/list/watch: ${where}`);
          assert.ok(!(rule.resources ?? []).some((r) => r.includes('*') || r.includes('/')), `no wildcard or subresource: ${where}`);
          assert.ok(!(rule.apiGroups ?? []).includes('*'), `no wildcard group: ${where}`);
          assert.equal(rule.nonResourceURLs, undefined, where);
          assert.ok(!((rule.apiGroups ?? []).includes('') && (rule.resources ?? []).includes('endpoints')), `no v1 Endpoints: ${where}`);
        }
      }
      for (const b of objs.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
        const ref = b.roleRef as { kind: string; name: string };
        assert.ok(
          roles.some((r) => r.kind === ref.kind && r.metadata.name === ref.name && (ref.kind === 'ClusterRole' || r.metadata.namespace === b.metadata.namespace)),
          `${b.kind} ${b.metadata.name} binds a rendered ${ref.kind}`,
        );
        assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: 'chainboard' }]);
      }
    });
  }

  it('renders with the defaults the same core objects as kustomize build deploy/base', () => {
    const chart = template([]);
    const base = kustomizeBuild(join(ROOT, 'deploy', 'base'));
    const b = (kind: string) => one(base, kind);
    const c = (kind: string) => one(chart, kind);

    for (const kind of ['ServiceAccount', 'Service', 'Deployment', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolumeClaim']) {
      assert.equal(c(kind).metadata.name, b(kind).metadata.name, `${kind} name`);
      assert.equal(c(kind).metadata.namespace, b(kind).metadata.namespace, `${kind} namespace`);
    }
    assert.equal(c('ServiceAccount').automountServiceAccountToken, b('ServiceAccount').automountServiceAccountToken);
    assert.deepEqual(c('ClusterRole').rules, b('ClusterRole').rules);
    assert.deepEqual(c('ClusterRoleBinding').roleRef, b('ClusterRoleBinding').roleRef);
    assert.deepEqual(c('ClusterRoleBinding').subjects, b('ClusterRoleBinding').subjects);
    assert.equal(c('Service').spec.type, b('Service').spec.type);
    assert.deepEqual(c('Service').spec.ports, b('Service').spec.ports);
    assert.deepEqual(c('PersistentVolumeClaim').spec, b('PersistentVolumeClaim').spec);

    const cd = c('Deployment').spec;
    const bd = b('Deployment').spec;
    for (const k of ['replicas', 'revisionHistoryLimit', 'strategy']) assert.deepEqual(cd[k], bd[k], `Deployment spec.${k}`);
    for (const k of ['serviceAccountName', 'automountServiceAccountToken', 'enableServiceLinks', 'securityContext']) {
      assert.deepEqual(cd.template.spec[k], bd.template.spec[k], `pod spec.${k}`);
    }
    assert.deepEqual(byName(cd.template.spec.volumes), byName(bd.template.spec.volumes), 'volumes');
    const cc = cd.template.spec.containers as Container[];
    const bc = bd.template.spec.containers as Container[];
    assert.equal(cc.length, 1);
    assert.equal(bc.length, 1);
    for (const k of ['name', 'image', 'imagePullPolicy', 'ports', 'env', 'securityContext', 'resources', 'readinessProbe', 'livenessProbe']) {
      assert.deepEqual(cc[0]![k], bc[0]![k], `container ${k}`);
    }
    assert.deepEqual(byName(cc[0]!.volumeMounts as { name: string }[]), byName(bc[0]!.volumeMounts as { name: string }[]), 'volumeMounts');
    // The Service selects the Deployment's Pods, as in the base.
    const podLabels = cd.template.metadata.labels as Record<string, string>;
    for (const [k, v] of Object.entries(c('Service').spec.selector as Record<string, string>)) assert.equal(podLabels[k], v, `Service selector ${k}`);
  });

  it('renders rbac.mode=namespaced as the Roles of deploy/namespaced', () => {
    const chart = template(['--set', 'rbac.mode=namespaced', '--set', 'namespaces={hst-my-client,hst-acme}']);
    const kust = kustomizeBuild(join(ROOT, 'deploy', 'namespaced'));
    const roles = (objs: KubeObject[]) =>
      objs
        .filter((o) => o.kind === 'Role')
        .map((o) => ({ name: o.metadata.name, namespace: o.metadata.namespace, rules: o.rules }))
        .sort((a, b) => String(a.namespace).localeCompare(String(b.namespace)));
    assert.deepEqual(roles(chart), roles(kust));
    assert.equal(chart.filter((o) => o.kind === 'ClusterRole').length, 0, 'no ClusterRole in the namespaced mode');
    assert.equal(envOf(chart).CHAINBOARD_NAMESPACES, envOf(kust).CHAINBOARD_NAMESPACES);
  });

  it('renders each optional read group as the role deploy/optional defines, and turns its reader on', () => {
    const full = template(values('cluster-full-values.yaml'));
    const optional = (dir: string) => one(kustomizeBuild(join(ROOT, 'deploy', 'optional', dir)), 'ClusterRole');
    for (const dir of ['tls-secrets', 'cert-manager', 'traefik-middlewares', 'traefik-ingressroutes', 'gateway-api']) {
      const want = optional(dir);
      assert.deepEqual(one(full, 'ClusterRole', want.metadata.name).rules, want.rules, dir);
    }
    const env = envOf(full);
    for (const k of ['CHAINBOARD_READ_SECRETS', 'CHAINBOARD_CERT_MANAGER', 'CHAINBOARD_TRAEFIK_MIDDLEWARES', 'CHAINBOARD_TRAEFIK_INGRESSROUTES', 'CHAINBOARD_GATEWAY_API']) assert.equal(env[k], '1', k);
    assert.equal(envOf(template([])).CHAINBOARD_READ_SECRETS, undefined, 'Secrets are not read by default');

    const namespaced = template(values('namespaced-values.yaml'));
    const roles = namespaced.filter((o) => o.kind === 'Role');
    assert.deepEqual(roles.map((r) => r.metadata.namespace), ['hst-my-client', 'hst-acme']);
    for (const role of roles) {
      for (const dir of ['tls-secrets', 'cert-manager', 'traefik-middlewares', 'traefik-ingressroutes', 'gateway-api']) {
        for (const rule of optional(dir).rules as Rule[]) {
          assert.ok((role.rules as Rule[]).some((r) => JSON.stringify(r) === JSON.stringify(rule)), `the Role in ${role.metadata.namespace} holds ${dir}`);
        }
      }
    }
    assert.deepEqual(one(namespaced, 'ClusterRole').rules, optional('ingressclass-reader').rules);
  });

  it('takes the sign-in token, share secret and database URL from existing Secrets, and then claims no volume', () => {
    const full = template(values('cluster-full-values.yaml'));
    const env = envOf(full);
    assert.deepEqual(env.CHAINBOARD_AUTH_TOKEN, { secretKeyRef: { name: 'chainboard-auth', key: 'token' } });
    assert.deepEqual(env.CHAINBOARD_SHARE_SECRET, { secretKeyRef: { name: 'chainboard-share', key: 'secret' } });
    assert.deepEqual(env.CHAINBOARD_DATABASE_URL, { secretKeyRef: { name: 'chainboard-postgres', key: 'url' } });
    assert.equal(env.CHAINBOARD_DATA_DIR, undefined);
    assert.equal(env.CHAINBOARD_CLUSTER_NAME, 'prod-eu');
    assert.equal(env.CHAINBOARD_PROBE, 'on', 'extra env is passed through');
    assert.equal(full.filter((o) => o.kind === 'PersistentVolumeClaim').length, 0);
    const d = one(full, 'Deployment').spec;
    assert.equal(d.replicas, 2);
    assert.equal(d.strategy.type, 'RollingUpdate');
    assert.ok(!(d.template.spec.volumes as { name: string }[]).some((v) => v.name === 'data'));
    assert.ok(!full.some((o) => o.kind === 'Secret'), 'the chart never writes a Secret of its own');

    const none = template(values('no-history-values.yaml'));
    assert.equal(envOf(none).CHAINBOARD_HISTORY, 'off');
    assert.equal(envOf(none).CHAINBOARD_NAMESPACES, 'hst-a,hst-b');
    assert.equal(none.filter((o) => o.kind === 'PersistentVolumeClaim').length, 0);
    assert.equal(one(none, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  it('mounts each remote cluster\'s kubeconfig Secret read-only as <name>.yaml and points Chainboard at the folder', () => {
    const objs = template(values('remote-clusters-values.yaml'));
    const env = envOf(objs);
    assert.equal(env.CHAINBOARD_REMOTE_KUBECONFIGS, '/etc/chainboard/clusters');
    assert.equal(env.CHAINBOARD_CLUSTER_NAME, 'prod-eu');
    const pod = one(objs, 'Deployment').spec.template.spec;
    assert.deepEqual(
      (container(objs).volumeMounts ?? []).find((m) => m.name === 'remote-clusters'),
      { name: 'remote-clusters', mountPath: '/etc/chainboard/clusters', readOnly: true },
    );
    const volume = (pod.volumes as { name: string; projected?: unknown }[]).find((v) => v.name === 'remote-clusters');
    assert.deepEqual(volume, {
      name: 'remote-clusters',
      projected: {
        // Readable by the owner (root) and the Pod's fsGroup.
        defaultMode: 0o440,
        sources: [
          { secret: { name: 'chainboard-cluster-prod-us', items: [{ key: 'kubeconfig', path: 'prod-us.yaml' }] } },
          { secret: { name: 'staging-kubeconfig', items: [{ key: 'value', path: 'staging.yaml' }] } },
        ],
      },
    });
    assert.equal(pod.securityContext.fsGroup, 1000, 'the group the files are readable by');
    assert.ok(!objs.some((o) => o.kind === 'Secret'), 'the Secrets are the user\'s, not the chart\'s');
    const noFsGroup = template([...values('remote-clusters-values.yaml'), '--set', 'podSecurityContext.fsGroup=null']);
    const files = (one(noFsGroup, 'Deployment').spec.template.spec.volumes as { name: string; projected?: { defaultMode: number } }[]).find((v) => v.name === 'remote-clusters');
    assert.equal(files?.projected?.defaultMode, 0o444, 'without an fsGroup the files stay root\'s: readable to the container user only this way');

    const plain = template([]);
    assert.equal(envOf(plain).CHAINBOARD_REMOTE_KUBECONFIGS, undefined);
    assert.ok(!(one(plain, 'Deployment').spec.template.spec.volumes as { name: string }[]).some((v) => v.name === 'remote-clusters'));
  });

  it('refuses values that cannot work, naming the value', () => {
    const namespacedWithout = run('helm', ['template', 'cb', CHART, '--set', 'rbac.mode=namespaced']);
    assert.notEqual(namespacedWithout.status, 0);
    assert.match(namespacedWithout.stderr, /rbac\.mode=namespaced needs the namespaces/);
    const twoEmbedded = run('helm', ['template', 'cb', CHART, '--set', 'replicaCount=2']);
    assert.notEqual(twoEmbedded.status, 0);
    assert.match(twoEmbedded.stderr, /several replicas need database\.existingSecret/);
    const badMode = run('helm', ['template', 'cb', CHART, '--set', 'rbac.mode=everything']);
    assert.notEqual(badMode.status, 0);
    assert.match(badMode.stderr, /\/rbac\/mode': value must be one of 'cluster', 'namespaced'/);
    // A misspelt read group would silently grant nothing: the schema names it.
    const typo = run('helm', ['template', 'cb', CHART, '--set', 'rbac.read.secret=true']);
    assert.notEqual(typo.status, 0);
    assert.match(typo.stderr, /additional properties 'secret' not allowed/);
    // Chainboard would refuse two clusters of one name at start; the chart says so at install time.
    const remote = (i: number, name: string) => ['--set', `remoteClusters[${i}].name=${name}`, '--set', `remoteClusters[${i}].existingSecret=kc-${i}`];
    const twice = run('helm', ['template', 'cb', CHART, '--set', 'clusterName=prod-eu', ...remote(0, 'prod-us'), ...remote(1, 'prod-us')]);
    assert.notEqual(twice.status, 0);
    assert.match(twice.stderr, /remoteClusters: the cluster name "prod-us" is taken \(by another remoteClusters entry\)/);
    const local = run('helm', ['template', 'cb', CHART, ...remote(0, 'default')]);
    assert.notEqual(local.status, 0);
    assert.match(local.stderr, /the cluster name "default" is taken \(by the local cluster, named default while clusterName is empty\)/);
    const badName = run('helm', ['template', 'cb', CHART, ...remote(0, 'Prod_US')]);
    assert.notEqual(badName.status, 0);
    assert.match(badName.stderr, /\/remoteClusters\/0\/name': 'Prod_US' does not match pattern/);
    const noSecret = run('helm', ['template', 'cb', CHART, '--set', 'remoteClusters[0].name=prod-us']);
    assert.notEqual(noSecret.status, 0);
    assert.match(noSecret.stderr, /missing property 'existingSecret'|existingSecret.*required/);
  });

  it('renders its own Traefik Ingress, the ServiceMonitor, the PrometheusRule and the dashboard ConfigMap', () => {
    const full = template(values('cluster-full-values.yaml'));
    const ing = one(full, 'Ingress');
    assert.equal(ing.spec.ingressClassName, 'traefik-external');
    assert.deepEqual(ing.metadata.annotations, {
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      'traefik.ingress.kubernetes.io/router.tls.certresolver': 'letsencrypt',
      'traefik.ingress.kubernetes.io/router.middlewares': 'chainboard-forward-auth@kubernetescrd',
      'external-dns.alpha.kubernetes.io/hostname': 'chainboard.example.com',
    });
    assert.deepEqual(ing.spec.rules[0].http.paths[0].backend, { service: { name: 'chainboard', port: { name: 'http' } } });
    const base = one(kustomizeBuild(join(ROOT, 'deploy', 'base')), 'Ingress');
    assert.deepEqual(ing.spec.tls, base.spec.tls, 'the same TLS section as the base Ingress');

    const sm = one(full, 'ServiceMonitor');
    assert.equal(sm.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(sm.metadata.labels.release, 'kube-prometheus-stack');
    const ep = sm.spec.endpoints[0];
    assert.equal(ep.path, '/api/metrics');
    assert.equal(ep.port, 'http');
    assert.equal(ep.honorLabels, true);
    assert.deepEqual(ep.authorization, { type: 'Bearer', credentials: { name: 'chainboard-auth', key: 'token' } });
    // Chainboard's own `cluster` (the watched cluster's name) is kept; prod-eu only where a series has none.
    // The regex is not empty: the Operator would leave it out, and Prometheus's default (.*) overwrite every cluster.
    assert.deepEqual(ep.metricRelabelings, [{ action: 'replace', sourceLabels: ['cluster'], regex: '^$', targetLabel: 'cluster', replacement: 'prod-eu' }]);
    assert.equal(ep.relabelings, undefined, 'no target label that could clash with the series\' own cluster');
    const svc = one(full, 'Service');
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels as Record<string, string>)) assert.equal(svc.metadata.labels[k], v, `the ServiceMonitor selects the Service by ${k}`);

    const rule = one(full, 'PrometheusRule');
    assert.equal(rule.apiVersion, 'monitoring.coreos.com/v1');
    assert.deepEqual(rule.spec, parseYaml(readFileSync(join(CHART, 'files', 'chainboard.rules.yaml'), 'utf8')), 'the rules file, untouched by the template engine');

    const cm = one(full, 'ConfigMap', 'chainboard-dashboard');
    assert.equal(cm.metadata.labels.grafana_dashboard, '1');
    assert.deepEqual(JSON.parse(cm.data['chainboard.json']), JSON.parse(readFileSync(join(CHART, 'files', 'chainboard-dashboard.json'), 'utf8')));

    const defaults = template([]);
    for (const kind of ['Ingress', 'ServiceMonitor', 'PrometheusRule', 'ConfigMap', 'Namespace']) {
      assert.equal(defaults.filter((o) => o.kind === kind).length, 0, `no ${kind} by default`);
    }
  });
});

describe('the chart against a real kube-apiserver', () => {
  let cp: ControlPlane | undefined;
  before(
    async () => {
      const crds = monitoringCrds().flatMap((f) => parseObjects(readFileSync(f, 'utf8'), f));
      cp = await startControlPlane();
      const control = cp;
      // The Prometheus Operator's CRDs, as a cluster running it has them: the apiserver then validates the
      // chart's ServiceMonitor and PrometheusRule against their schemas.
      await control.applyAll(crds);
      for (const crd of crds) {
        await waitFor(`CRD ${crd.metadata.name} established`, async () => {
          const r = await control.api<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', resourcePath(crd));
          return r.body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
        });
      }
    },
    { timeout: 300_000 },
  );
  after(async () => {
    await cp?.stop();
  });

  for (const file of VALUES) {
    it(`accepts every object of ci/${file} (server-side apply, dry run)`, { timeout: 120_000 }, async () => {
      assert.ok(cp, 'the control plane started');
      const objs = template(values(file));
      // A dry run stores nothing, so the namespaces the objects live in must exist for real.
      const namespaces = new Set(['chainboard', ...objs.map((o) => o.metadata.namespace).filter((n): n is string => !!n)]);
      for (const name of namespaces) {
        await cp.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      }
      const checked: string[] = [];
      for (const o of objs) {
        const r: { status: number; text: string } = await cp.api('PATCH', `${resourcePath(o)}?fieldManager=chainboard-chart-test&force=true&dryRun=All`, o, 'application/apply-patch+yaml');
        assert.equal(r.status < 300, true, `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${r.status} ${r.text}`);
        checked.push(o.kind);
      }
      assert.ok(checked.includes('Deployment') && checked.some((k) => k === 'Role' || k === 'ClusterRole'));
      if (file === 'cluster-full-values.yaml') {
        assert.ok(checked.includes('ServiceMonitor') && checked.includes('PrometheusRule'), 'the monitoring objects are checked too');
        // The CRDs' schemas are enforced: a ServiceMonitor with a malformed interval is refused.
        const sm = one(objs, 'ServiceMonitor');
        const bad = { ...sm, spec: { ...sm.spec, endpoints: [{ ...sm.spec.endpoints[0], interval: 'every now and then' }] } };
        const r = await cp.api('PATCH', `${resourcePath(bad)}?fieldManager=chainboard-chart-test&force=true&dryRun=All`, bad, 'application/apply-patch+yaml');
        assert.equal(r.status, 422, r.text);
      }
      // Nothing was stored: the dry run left the cluster without Chainboard's Deployment.
      const d = one(objs, 'Deployment');
      assert.equal((await cp.api('GET', resourcePath(d))).status, 404);
    });
  }
});
