import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { catalogueMarkdown, RULES, ruleByCode } from './catalogue';
import { fixtureNames, load, NOW, run } from './__fixtures__/load';
import { ALL_SCENARIOS, HEALTHY_COUNTERPARTS, runCounterpart } from './rules/scenarios';
import { analyze } from './index';

test('every rule has a unique code named after its family', () => {
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const r of RULES) assert.match(r.code, new RegExp(`^${r.family}\\.[a-z0-9-]+$`), r.code);
  assert.equal(ruleByCode('service.no-ready-endpoints')?.severity, 'critical');
  assert.equal(ruleByCode('no.such-code'), undefined);
});

test('every rule says what it means and what to do', () => {
  for (const r of RULES) {
    assert.ok(r.title.length > 0 && r.description.length > 20, r.code);
    assert.ok(r.hint && r.hint.length > 0, r.code);
    if (r.alsoSeverity) assert.notEqual(r.alsoSeverity.severity, r.severity, r.code);
  }
});

test('the codes Chainboard promises to report are all in the catalogue', () => {
  const required = [
    'ingress.class-missing', 'ingress.class-unknown', 'ingress.no-address', 'ingress.backend-service-missing',
    'ingress.backend-port-missing', 'ingress.backend-invalid', 'ingress.route-conflict', 'ingress.no-rules',
    'ingress.tls-host-uncovered', 'tls.secret-missing', 'tls.managed-by-resolver', 'tls.secret-cert-expired',
    'tls.secret-host-mismatch', 'tls.secret-cert-expiring', 'tls.certificate-not-ready', 'tls.cert-expired',
    'tls.cert-not-yet-valid', 'tls.cert-expiring', 'tls.host-mismatch', 'tls.default-certificate', 'tls.untrusted',
    'tls.handshake-failed', 'dns.annotation-mismatch', 'dns.not-resolving', 'dns.points-elsewhere', 'dns.lookup-failed',
    'service.externalname', 'service.no-selector', 'service.selector-matches-nothing', 'service.target-port-unmatched',
    'service.no-endpoints', 'service.no-ready-endpoints', 'service.some-endpoints-not-ready', 'service.single-endpoint',
    'service.endpoints-terminating', 'pod.crash-loop', 'pod.image-pull', 'pod.config-error', 'pod.oom-killed',
    'pod.not-ready', 'pod.pending', 'pod.restarting', 'pod.terminating-stuck', 'pod.failed', 'data.forbidden', 'data.not-synced',
  ];
  const missing = required.filter((c) => !ruleByCode(c));
  assert.deepEqual(missing, []);
});

test('every rule code is triggered by a fixture or a scenario, and every code found is in the catalogue', () => {
  const found = new Set<string>();
  const collect = (r: ReturnType<typeof analyze>) => {
    for (const d of r.domains) for (const x of d.findings) found.add(x.code);
    for (const n of r.namespaces) for (const x of n.findings) found.add(x.code);
  };
  for (const name of fixtureNames()) collect(run(name));
  for (const s of ALL_SCENARIOS) {
    const snap = load(s.fixture);
    s.edit?.(snap);
    collect(analyze(snap, { now: NOW, ...s.opts }));
  }
  const codes = RULES.map((r) => r.code);
  assert.deepEqual(codes.filter((c) => !found.has(c)), [], 'codes no test triggers');
  assert.deepEqual([...found].filter((c) => !codes.includes(c)), [], 'codes not in the catalogue');
});

test('docs/finding-codes.md is the catalogue as scripts/finding-codes.ts prints it', () => {
  const docs = readFileSync(join(__dirname, '../../docs/finding-codes.md'), 'utf8');
  assert.equal(docs, catalogueMarkdown(), 'regenerate: node --import tsx scripts/finding-codes.ts > docs/finding-codes.md');
  for (const r of RULES) assert.ok(docs.includes(`| \`${r.code}\` |`), r.code);
});

test('every rule code has a healthy counterpart that does not trigger it', () => {
  for (const r of RULES) {
    const name = HEALTHY_COUNTERPARTS[r.code];
    assert.ok(name, `no healthy counterpart for ${r.code}`);
    const result = runCounterpart(name);
    assert.ok(result.domains.length > 0, name);
    for (const d of result.domains) {
      assert.equal(d.health, 'healthy', `${r.code}: ${name} ${d.host}`);
      assert.ok(!d.findings.some((x) => x.code === r.code), `${r.code} in ${name}`);
    }
    for (const n of result.namespaces) assert.ok(!n.findings.some((x) => x.code === r.code), `${r.code} in ${name}`);
  }
});
