import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../lib/chain/__fixtures__/load';
import { seedRuntime, withMiddlewares, withTraefik } from '../../lib/chain/rules/traefik.scenarios';
import { buildGraph } from './index';
import { layoutGraph } from './layout';

const HOST = 'app.my-client.junovy.com';
const graphOf = (edit?: Parameters<typeof run>[2]) => buildGraph(run('seed', {}, edit).domains[0]!);

test("Traefik's router hangs off the domain below TLS, with its entrypoints and Middlewares", () => {
  const g = graphOf(withTraefik());
  const n = g.nodes.find((x) => x.kind === 'traefik')!;
  assert.deepEqual([n.id, n.kindLabel, n.name, n.detail, n.health], [`Traefik/${HOST}`, 'Traefik router', 'hst-my-client-my-app-app-my-client-junovy-com', 'websecure', 'healthy']);
  assert.deepEqual(g.edges.find((e) => e.to === n.id), { id: `Domain/${HOST}->Traefik/${HOST}`, from: `Domain/${HOST}`, to: n.id, kind: 'attach', health: 'healthy', findings: [] });
  const layout = layoutGraph(g);
  const at = (id: string) => layout.nodes.find((x) => x.id === id)!;
  assert.equal(at(n.id).x, at(`TLS/${HOST}`).x);
  assert.ok(at(n.id).y >= at(`TLS/${HOST}`).y + at(`TLS/${HOST}`).height, 'below TLS, not over it');
});

test('a disabled router is the broken node, with the Middleware that is missing', () => {
  const g = graphOf(withTraefik({ runtime: seedRuntime({ router: { status: 'disabled', middlewares: ['hst-my-client-gone@kubernetescrd'], error: ['middleware "hst-my-client-gone@kubernetescrd" does not exist'] } }) }));
  const n = g.nodes.find((x) => x.kind === 'traefik')!;
  assert.equal(n.detail, 'disabled · middleware hst-my-client-gone missing');
  assert.equal(n.health, 'down');
  assert.equal(n.mark, 'critical');
});

test('without the API the router is grey, not checked, and names the reason; a missing Middleware still shows', () => {
  const off = graphOf().nodes.find((x) => x.kind === 'traefik')!;
  assert.deepEqual([off.health, off.detail], ['not-checked', "not checked (Traefik's API not configured)"]);
  const missing = graphOf(withMiddlewares('hst-my-client-auth@kubernetescrd', [])).nodes.find((x) => x.kind === 'traefik')!;
  assert.deepEqual([missing.health, missing.detail], ['down', 'middleware hst-my-client-auth !']);
});
