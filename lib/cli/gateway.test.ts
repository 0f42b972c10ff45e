// `chainboard check` over a dump holding Gateway API objects: the demo's hst-gatelab environment, whose
// HTTPRoutes attach to a Gateway of the shared `gateway` namespace.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { run, type CliIO } from './run';

const GATELAB = join(__dirname, '..', '..', 'demo', 'extra', 'hst-gatelab.yaml');

async function check(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), env: { CHAINBOARD_PROBE: 'off' }, isTTY: false, now: () => new Date('2026-11-26T09:30:00Z') };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

test('a dump of HTTPRoutes is read with their Gateway: each route line names the HTTPRoute and the listener it comes through', async () => {
  const r = await check(['check', '--from', GATELAB, 'shop.gatelab.junovy.com']);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.startsWith('● shop.gatelab.junovy.com  healthy'), r.stdout);
  assert.match(r.stdout, /route {2}\/ \(Prefix\) · HTTPRoute shop via gateway\/public websecure \(HTTPS 8443\)/);
  assert.equal(r.code, 0);
});

test("the broken HTTPRoute domains name the gateway finding and its kubectl hint, with the controller's reason", async () => {
  const r = await check(['check', '--from', GATELAB, '--json']);
  const out = JSON.parse(r.stdout) as { domains: { host: string; health: string; findings: { code: string; message: string; hint: string }[] }[] };
  const byHost = Object.fromEntries(out.domains.map((d) => [d.host, d]));
  assert.deepEqual(
    out.domains.map((d) => [d.host, d.health, d.findings.map((f) => f.code)]),
    [
      ['api.gatelab.junovy.com', 'down', ['gateway.backend-missing']],
      ['partner.gatelab.junovy.com', 'down', ['gateway.backend-not-granted', 'ingress.backend-invalid']],
      ['shop.gatelab.junovy.com', 'healthy', []],
    ],
  );
  assert.match(byHost['api.gatelab.junovy.com']!.findings[0]!.message, /the controller agrees: ResolvedRefs False, BackendNotFound/);
  assert.equal(byHost['partner.gatelab.junovy.com']!.findings[0]!.hint, 'kubectl -n hst-routelab get referencegrants.gateway.networking.k8s.io -o yaml');
  assert.equal(r.code, 2);
});
