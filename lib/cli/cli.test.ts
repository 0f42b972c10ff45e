// The real `chainboard` command, spawned through bin/chainboard.mjs from another directory, on the sample
// dumps. Expected findings text comes from the engine itself (in-process), so these tests pin the CLI's
// layout and exit codes, not the engine's wording.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../chain';
import { loadDump } from '../cluster/dump';
import type { DomainDetail } from '../api/types';
import type { DomainChain } from '../model/chain';
import { groupFindings } from '../model/groups';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'chainboard.mjs');
const SAMPLE = join(ROOT, 'samples', 'cluster');
const BROKEN = join(ROOT, 'samples', 'broken-dump');
const NOW = '2026-11-26T09:30:00Z';

/** Run the bin from a temporary cwd, without colour (stdout is a pipe anyway). */
function chainboard(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: tmpdir(),
    encoding: 'utf8',
    // Probes off: these tests read the sample dump, whose load-balancer address has no TLS server behind it,
    // and they must not ask the machine's resolver. lib/cli/probe.test.ts covers the probes.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CHAINBOARD_PROBE: 'off' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const analysed = analyze(loadDump(SAMPLE).snapshot, { now: new Date(NOW) });
function domain(host: string): DomainChain {
  const d = analysed.domains.find((x) => x.host === host);
  assert.ok(d, `${host} is in the sample`);
  return d;
}

describe('chainboard check', () => {
  test('prints the healthy chain of the seed domain and exits 0', () => {
    const r = chainboard('check', 'app.my-client.junovy.com', '--from', SAMPLE, '--now', NOW);
    const [info] = domain('app.my-client.junovy.com').findings;
    assert.ok(info);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        '● app.my-client.junovy.com  healthy  hst-my-client',
        '  TLS    certificate by resolver letsencrypt (Traefik keeps it)  not checked (probes off)',
        '  DNS    external-dns app.my-client.junovy.com · address 127.0.0.1  not checked (probes off)',
        '  HTTP   no request sent  not checked (probes off)',
        "  router hst-my-client-my-app-app-my-client-junovy-com@kubernetes  not checked (Traefik's API not configured)",
        '  route  / (Prefix) · Ingress my-app',
        '    Service my-app:80 → 8080  ClusterIP · endpoints 3 ready',
        '      ✓ 10.42.1.12:8080  ready        Pod my-app-lzbvbfn86z-klgzf  Running 1/1  worker-1',
        '      ✓ 10.42.2.11:8080  ready        Pod my-app-lzbvbfn86z-qn74q  Running 1/1  worker-2',
        '      ✓ 10.42.3.12:8080  ready        Pod my-app-lzbvbfn86z-trp28  Running 1/1  worker-3',
        '  info',
        `    tls.managed-by-resolver  ${info.message}`,
        `      → ${info.hint}`,
        '',
        '1 domain in 1 namespace: 1 healthy',
        '',
      ].join('\n'),
    );
    assert.equal(info.code, 'tls.managed-by-resolver');
    assert.equal(r.code, 0);
  });

  test('prints the broken link of a down domain with its code and hint, and exits 2', () => {
    const r = chainboard('check', 'checkout.acme.junovy.com', '--from', SAMPLE, '--now', NOW);
    const broken = domain('checkout.acme.junovy.com').findings.find((f) => f.code === 'service.no-ready-endpoints');
    assert.ok(broken);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], '● checkout.acme.junovy.com  down  hst-acme');
    assert.ok(lines.includes('    Service checkout:80 → http  ClusterIP · endpoints 0 ready, 2 not ready  down'), r.stdout);
    const at = lines.indexOf(`    service.no-ready-endpoints  ${broken.message}`);
    assert.ok(at > 0, r.stdout);
    assert.equal(lines[at - 1], '  critical');
    assert.equal(lines[at + 1], `      → ${broken.hint}`);
    assert.match(r.stdout, /✗ 10\.42\.\d+\.\d+:8080 {2}not ready {4}Pod checkout-\S+ {2}CrashLoopBackOff 0\/1/);
    assert.equal(lines.at(-2), '1 domain in 1 namespace: 1 down');
    assert.equal(r.code, 2);
  });

  test('exits 1 for a degraded domain', () => {
    const r = chainboard('check', 'api.acme.junovy.com', '--from', SAMPLE, '--now', NOW);
    assert.match(r.stdout, /^● api\.acme\.junovy\.com {2}degraded {2}hst-acme$/m);
    assert.match(r.stdout, /^ {4}service\.some-endpoints-not-ready {2}/m);
    assert.equal(r.code, 1);
  });

  test('exits with the worst health of several hosts', () => {
    const r = chainboard('check', 'api.acme.junovy.com', 'app.my-client.junovy.com', 'blog.northwind.junovy.com', '--from', SAMPLE, '--now', NOW);
    assert.equal(r.stdout.split('\n').at(-2), '3 domains in 3 namespaces: 1 down, 1 degraded, 1 healthy');
    assert.equal(r.code, 2);
  });

  test('prints the engine\'s DomainChain objects with --json, their findings grouped beside the flat list', () => {
    const r = chainboard('check', 'app.my-client.junovy.com', 'docs.northwind.junovy.com', '--from', SAMPLE, '--now', NOW, '--json');
    const json = JSON.parse(r.stdout) as { domains: DomainDetail[]; errors: unknown[]; clusters: unknown[] };
    assert.deepEqual(Object.keys(json), ['domains', 'errors', 'clusters']);
    const detail = (d: DomainChain) => ({ cluster: 'default', ...d, findingGroups: groupFindings(d.findings) });
    assert.deepEqual(json, { domains: [detail(domain('app.my-client.junovy.com')), detail(domain('docs.northwind.junovy.com'))], errors: [], clusters: [{ name: 'default', ok: true }] });
    const docs = json.domains[1]!;
    assert.equal(docs.health, 'down');
    assert.deepEqual(
      docs.findings.map((f) => ({ code: f.code, severity: f.severity, object: f.object })),
      [
        { code: 'ingress.backend-port-missing', severity: 'critical', object: { kind: 'Ingress', namespace: 'hst-northwind', name: 'docs' } },
        { code: 'tls.managed-by-resolver', severity: 'info', object: { kind: 'Ingress', namespace: 'hst-northwind', name: 'docs' } },
      ],
    );
    for (const f of docs.findings) assert.ok(f.message && f.hint && f.link, 'each finding has message, hint and link');
    assert.equal(r.code, 2);
  });

  test('lists identical findings once, with the count, the objects and the first one\'s next command', () => {
    const r = chainboard('check', 'checkout.acme.junovy.com', '--from', SAMPLE, '--now', NOW);
    const crashes = domain('checkout.acme.junovy.com').findings.filter((f) => f.code === 'pod.crash-loop');
    assert.equal(crashes.length, 2, 'the sample has two crash-looping Pods of one ReplicaSet');
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('    pod.crash-loop'));
    assert.deepEqual(lines.slice(at - 1, at + 3), [
      '  warning',
      '    pod.crash-loop ×2  2 Pods: container checkout is in CrashLoopBackOff after 8 restarts; last exit code 1 (Error)',
      `      Pods ${crashes.map((f) => f.object.name).join(', ')}`,
      `      → ${crashes[0]!.hint}`,
    ]);
    assert.equal(lines.filter((l) => l.includes('pod.crash-loop')).length, 1, r.stdout);
    // The host's TLS finding, reported once per Ingress of the host, is one entry too.
    const shop = chainboard('check', 'shop.acme.junovy.com', '--from', SAMPLE, '--now', NOW).stdout.split('\n');
    const tls = shop.findIndex((l) => l.startsWith('    tls.managed-by-resolver'));
    assert.match(shop[tls]!, /^ {4}tls\.managed-by-resolver ×2 {2}The certificate of shop\.acme\.junovy\.com .*Secret \{shop-tls, shop-legacy-tls\} is not used$/);
    assert.equal(shop[tls + 1], '      Ingresses shop, shop-legacy');
  });

  test('names an unknown host on stderr, suggests the close one, and exits 3', () => {
    const r = chainboard('check', 'app.my-clent.junovy.com', '--from', SAMPLE, '--now', NOW);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'chainboard: no domain app.my-clent.junovy.com in namespaces matching "hst-*"; did you mean app.my-client.junovy.com?\n');
    assert.equal(r.code, 3);
  });

  test('reports the malformed document of a dump and still analyses the others', () => {
    const r = chainboard('check', '--from', BROKEN, '--now', NOW);
    // One line naming the file and the document; the parser's own words follow.
    const file = join(BROKEN, 'hst-tidy.yaml');
    assert.ok(r.stderr.startsWith(`chainboard: skipped ${file} document 5: not valid YAML/JSON: `), r.stderr);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.match(r.stdout, /^● www\.tidy\.junovy\.com {2}healthy {2}hst-tidy$/m);
    assert.match(r.stdout, /endpoints 2 ready/);
    assert.equal(r.code, 3, 'a skipped document makes the result incomplete');
  });

  test('without --from it reads the kubeconfig, and a missing one is a clear error with exit 3', () => {
    const r = chainboard('check', 'app.my-client.junovy.com', '--kubeconfig', '/nonexistent/kubeconfig');
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'chainboard: kubeconfig /nonexistent/kubeconfig does not exist\n');
    assert.equal(r.code, 3);
  });

  test('prints its help and exits 0', () => {
    const r = chainboard('check', '--help');
    assert.match(r.stdout, /^Usage: chainboard check \[HOST\.\.\.\] \[--from DUMP\] \[options\]$/m);
    assert.equal(r.code, 0);
  });
});
