import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainChain, EndpointNode } from '../../lib/model/chain';
import { domain, fixtures } from './__fixtures__/domains';
import { buildGraph, groupId, layoutGraph, type ChainLayout, type GraphOptions, type PlacedEdge, type PlacedNode } from './index';
import { initialNodeId, isNavigationKey, NAVIGATION_KEYS, nextNodeId, type NavigationLayout } from './navigation';

const layoutOf = (d: DomainChain, options?: GraphOptions) => layoutGraph(buildGraph(d, options));

/** Presses `keys` in turn from `from` and returns every node the focus lands on. */
function walk(layout: NavigationLayout, from: string, keys: string[]): string[] {
  const out: string[] = [];
  let at = from;
  for (const k of keys) {
    const next = nextNodeId(layout, at, k);
    assert.ok(next, `${k} is a navigation key`);
    at = next;
    out.push(at);
  }
  return out;
}

/** A hand-placed layout, for geometry the samples do not have: `[id, layer, y]` and `[from, to]`. */
function synthetic(nodes: [string, number, number][], edges: [string, string][]): NavigationLayout {
  const placed = nodes.map(
    ([id, layer, y]) => ({ id, layer, y, x: layer * 244, width: 180, height: 54, kind: layer === 0 ? 'domain' : 'service', mark: undefined }) as unknown as PlacedNode,
  );
  return { nodes: placed, edges: edges.map(([from, to]) => ({ id: `${from}->${to}`, from, to, kind: 'chain' }) as unknown as PlacedEdge) };
}

const CHECKOUT = {
  domain: 'Domain/checkout.acme.junovy.com',
  dns: 'DNS/checkout.acme.junovy.com',
  tls: 'TLS/checkout.acme.junovy.com',
  route: 'Route/checkout/0/0',
  service: 'Service/checkout',
  ep1: 'Endpoint/checkout-ckmvq/10.42.2.15',
  ep2: 'Endpoint/checkout-ckmvq/10.42.3.16',
  pod1: 'Pod/checkout-q8x4sv2bzk-r7fpn',
  pod2: 'Pod/checkout-q8x4sv2bzk-zrghq',
};

test('the Tab stop starts on the selected node, else the broken link, else the domain', () => {
  const checkout = layoutOf(domain('checkout.acme.junovy.com'));
  assert.equal(initialNodeId(checkout, CHECKOUT.pod2), CHECKOUT.pod2, '?focus= wins');
  // The critical Service, not its two Pods marked warning (which come later in reading order anyway).
  assert.equal(initialNodeId(checkout), CHECKOUT.service);
  assert.equal(initialNodeId(checkout, 'Pod/gone-away'), CHECKOUT.service, 'a focus id that names no node is ignored');

  // A critical warning on the Pods only: the critical mark beats reading order.
  const d = domain('checkout.acme.junovy.com');
  for (const f of d.findings) if (f.code === 'pod.crash-loop' && f.link.type === 'node' && f.link.id === CHECKOUT.pod2) f.severity = 'critical';
  for (const f of d.findings) if (f.code === 'service.no-ready-endpoints') f.severity = 'warning';
  assert.equal(initialNodeId(layoutOf(d)), CHECKOUT.pod2);

  // A broken edge (the backend Service does not exist): the node it fails to reach.
  assert.equal(initialNodeId(layoutOf(domain('blog.northwind.junovy.com'))), 'Service/blog');
  // Two routes both marked warning: the upper one.
  const shop = layoutOf(domain('shop.acme.junovy.com'));
  const routes = shop.nodes.filter((n) => n.kind === 'route').sort((a, b) => a.y - b.y);
  assert.equal(routes.length, 2);
  assert.equal(initialNodeId(shop), routes[0]!.id);
  // Nothing broken (info findings do not count): the domain.
  assert.equal(initialNodeId(layoutOf(domain('app.my-client.junovy.com'))), 'Domain/app.my-client.junovy.com');
  assert.equal(initialNodeId(layoutOf(domain('legacy.initech.junovy.com'))), 'Domain/legacy.initech.junovy.com');
  assert.equal(initialNodeId({ nodes: [], edges: [] }), undefined);
});

test('every key moves along the checkout chain as drawn', () => {
  const l = layoutOf(domain('checkout.acme.junovy.com'));
  const c = CHECKOUT;
  // Right follows the chain; at the Service the two endpoints are equally near, so the upper one.
  assert.deepEqual(walk(l, c.domain, ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight']), [c.route, c.service, c.ep1, c.pod1]);
  // Left walks back to the domain.
  assert.deepEqual(walk(l, c.pod2, ['ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft']), [c.ep2, c.service, c.route, c.domain]);
  // Up and Down stay in the column: DNS above, TLS below the domain; the endpoints; the Pods.
  assert.deepEqual(walk(l, c.domain, ['ArrowUp', 'ArrowDown', 'ArrowDown']), [c.dns, c.domain, c.tls]);
  assert.deepEqual(walk(l, c.ep1, ['ArrowDown', 'ArrowUp']), [c.ep2, c.ep1]);
  assert.deepEqual(walk(l, c.pod1, ['ArrowDown', 'ArrowLeft', 'ArrowRight']), [c.pod2, c.ep2, c.pod2]);
  // Home: the domain; End: the bottom node of the last column.
  for (const from of Object.values(c)) {
    assert.equal(nextNodeId(l, from, 'Home'), c.domain, `Home from ${from}`);
    assert.equal(nextNodeId(l, from, 'End'), c.pod2, `End from ${from}`);
  }
});

test('a move past an end of the diagram keeps the focus where it is, and still counts as handled', () => {
  const l = layoutOf(domain('checkout.acme.junovy.com'));
  const c = CHECKOUT;
  const stays: [string, string][] = [
    [c.domain, 'ArrowLeft'], // the first column
    [c.dns, 'ArrowUp'], // the top of a column
    [c.tls, 'ArrowDown'], // the bottom of a column
    [c.pod1, 'ArrowUp'],
    [c.pod2, 'ArrowDown'],
    [c.pod1, 'ArrowRight'], // the last column
    [c.route, 'ArrowUp'], // a column of one
    [c.route, 'ArrowDown'],
    // DNS and TLS hang off the domain in its own column: no chain runs on from them.
    [c.dns, 'ArrowRight'],
    [c.tls, 'ArrowRight'],
    [c.dns, 'ArrowLeft'],
  ];
  for (const [from, key] of stays) assert.equal(nextNodeId(l, from, key), from, `${key} from ${from}`);
});

test('keys that are not navigation keys are left to the caller', () => {
  const l = layoutOf(domain('checkout.acme.junovy.com'));
  for (const key of ['Enter', ' ', 'Escape', 'Tab', 'a', 'PageDown', 'Right']) {
    assert.equal(nextNodeId(l, CHECKOUT.service, key), undefined, JSON.stringify(key));
    assert.equal(isNavigationKey(key), false);
  }
  for (const key of NAVIGATION_KEYS) assert.equal(isNavigationKey(key), true);
});

test('from a node that is no longer drawn, any navigation key goes to the Tab stop the diagram would start on', () => {
  const l = layoutOf(domain('checkout.acme.junovy.com'));
  for (const key of NAVIGATION_KEYS) {
    assert.equal(nextNodeId(l, 'Pod/replaced-by-a-refresh', key), CHECKOUT.service);
    assert.equal(nextNodeId(l, undefined, key), CHECKOUT.service);
  }
});

/** The one group node of a collapsed Service whose Pods all share an owner and a state. */
const groupOf = (l: ChainLayout, sid: string) => {
  const found = l.nodes.filter((n) => n.data.kind === 'endpoint-group' && n.data.service.id === sid);
  assert.equal(found.length, 1, `${sid} has one group`);
  return found[0]!.id;
};

test('a collapsed endpoints node ends its chain: Right stays, Left goes back to its Service', () => {
  // collapseAbove: 1 collapses the checkout Service's two endpoints (and their Pods) to one counts node.
  const l = layoutOf(domain('checkout.acme.junovy.com'), { collapseAbove: 1 });
  const group = groupOf(l, CHECKOUT.service);
  assert.ok(l.nodes.some((n) => n.id === group));
  assert.equal(l.nodes.some((n) => n.layer === 4), false, 'no Pod column');
  assert.deepEqual(walk(l, CHECKOUT.route, ['ArrowRight', 'ArrowRight', 'ArrowRight']), [CHECKOUT.service, group, group]);
  assert.deepEqual(walk(l, group, ['ArrowUp', 'ArrowDown', 'ArrowLeft']), [group, group, CHECKOUT.service]);
  assert.equal(nextNodeId(l, CHECKOUT.domain, 'End'), group, 'End: the counts node is the bottom of the last column');

  // Two collapsed Services: their counts nodes share the endpoints column, Up and Down move between them.
  const shop = layoutOf(domain('shop.acme.junovy.com'), { collapseAbove: 1 });
  const groups = shop.nodes.filter((n) => n.kind === 'endpoint-group').sort((a, b) => a.y - b.y).map((n) => n.id);
  assert.deepEqual(groups, [groupOf(shop, 'Service/shop'), groupOf(shop, 'Service/shop-legacy')]);
  assert.deepEqual(walk(shop, groups[0]!, ['ArrowDown', 'ArrowDown', 'ArrowLeft', 'ArrowLeft']), [groups[1], groups[1], 'Service/shop-legacy', 'Route/shop-legacy/0/0']);
  assert.equal(nextNodeId(shop, 'Route/shop/0/0', 'End'), groups[1]);
});

test('an expanded Service of 30 endpoints: Down walks every endpoint in order, Right goes to the Pod on the same row', () => {
  const d = domain('app.my-client.junovy.com');
  const s = d.routes[0]!.service!;
  const template = s.endpoints[0]!;
  s.endpoints = Array.from({ length: 30 }, (_, i): EndpointNode => ({
    ...template,
    id: `Endpoint/my-app-big/10.42.9.${i + 1}`,
    addresses: [`10.42.9.${i + 1}`],
    pod: { ...template.pod!, id: `Pod/my-app-x-${i}`, name: `my-app-x-${i}` },
  }));
  const l = layoutOf(d, { expanded: new Set([s.id]) });
  const endpoints = l.nodes.filter((n) => n.kind === 'endpoint').sort((a, b) => a.y - b.y).map((n) => n.id);
  assert.equal(endpoints.length, 30);
  assert.deepEqual(walk(l, endpoints[0]!, Array(30).fill('ArrowDown')), [...endpoints.slice(1), endpoints[29]]);
  for (let i = 0; i < 30; i++) assert.equal(nextNodeId(l, endpoints[i], 'ArrowRight'), `Pod/my-app-x-${i}`);
  // From the Service, Right picks the endpoint nearest its middle row, not the first one.
  const service = l.nodes.find((n) => n.id === s.id)!;
  const target = l.nodes.find((n) => n.id === nextNodeId(l, s.id, 'ArrowRight'))!;
  assert.equal(target.kind, 'endpoint');
  const distance = (id: string) => Math.abs(l.nodes.find((n) => n.id === id)!.y - service.y);
  assert.equal(distance(target.id), Math.min(...endpoints.map(distance)), `${target.id} at ${target.y}, Service at ${service.y}`);
  assert.notEqual(target.id, endpoints[0]);
});

test('a Service two routes reach: Left goes to the nearer route, and Right from either route reaches it', () => {
  const d = domain('shop.acme.junovy.com');
  d.routes[1]!.service = structuredClone(d.routes[0]!.service);
  const l = layoutOf(d);
  const at = (id: string) => l.nodes.find((n) => n.id === id)!;
  const [near, far] = ['Route/shop/0/0', 'Route/shop-legacy/0/0'].sort((a, b) => Math.abs(at(a).y - at('Service/shop').y) - Math.abs(at(b).y - at('Service/shop').y));
  assert.notEqual(Math.abs(at(near!).y - at('Service/shop').y), Math.abs(at(far!).y - at('Service/shop').y), 'the sample places the routes at different distances');
  assert.equal(nextNodeId(l, 'Service/shop', 'ArrowLeft'), near);
  assert.equal(nextNodeId(l, 'Route/shop/0/0', 'ArrowRight'), 'Service/shop');
  assert.equal(nextNodeId(l, 'Route/shop-legacy/0/0', 'ArrowRight'), 'Service/shop');
});

test('several parents or children: the vertically nearest wins, the upper one on a tie', () => {
  const l = synthetic(
    [
      ['a', 0, 0],
      ['b', 0, 200],
      ['s', 1, 150],
      ['c1', 2, 0],
      ['c2', 2, 100],
      ['c3', 2, 200],
      ['lone', 2, 140],
    ],
    [
      ['a', 's'],
      ['b', 's'],
      ['s', 'c1'],
      ['s', 'c2'],
      ['s', 'c3'],
    ],
  );
  assert.equal(nextNodeId(l, 's', 'ArrowLeft'), 'b', 'b (50 away) beats a (150 away)');
  // c2 and c3 are both 50 away: the upper one. `lone` is nearer but not connected.
  assert.equal(nextNodeId(l, 's', 'ArrowRight'), 'c2');
  assert.equal(nextNodeId(l, 'lone', 'ArrowLeft'), 'lone', 'an unconnected node keeps the focus');
  // Up and Down go by position, connected or not.
  assert.deepEqual(walk(l, 'c1', ['ArrowDown', 'ArrowDown', 'ArrowDown']), ['c2', 'lone', 'c3']);
  // An edge stored right to left still connects both ways.
  const reversed = synthetic([['p', 0, 0], ['q', 1, 0]], [['q', 'p']]);
  assert.equal(nextNodeId(reversed, 'p', 'ArrowRight'), 'q');
  assert.equal(nextNodeId(reversed, 'q', 'ArrowLeft'), 'p');
});

test('Pods without an endpoint: Right from their Service crosses the empty endpoints column, Left comes back', () => {
  const l = layoutOf(domain('reports.bakery-bros.junovy.com'));
  const pods = l.nodes.filter((n) => n.kind === 'pod').sort((a, b) => a.y - b.y).map((n) => n.id);
  assert.equal(pods.length, 2);
  assert.equal(l.nodes.some((n) => n.layer === 3), false);
  assert.equal(nextNodeId(l, 'Service/reports', 'ArrowRight'), pods[0], 'two Pods equally near: the upper one');
  for (const p of pods) assert.equal(nextNodeId(l, p, 'ArrowLeft'), 'Service/reports');

  // Next to endpoints, the endpoints column is the nearer one: Right goes there, even past a nearer Pod.
  const d = domain('checkout.acme.junovy.com');
  const s = d.routes[0]!.service!;
  s.podsWithoutEndpoint = [{ ...s.endpoints[0]!.pod!, id: 'Pod/checkout-extra', name: 'checkout-extra' }];
  const mixed = layoutOf(d);
  assert.equal(mixed.nodes.find((n) => n.id === nextNodeId(mixed, CHECKOUT.service, 'ArrowRight'))?.kind, 'endpoint');
  assert.equal(nextNodeId(mixed, 'Pod/checkout-extra', 'ArrowLeft'), CHECKOUT.service);
  assert.equal(nextNodeId(mixed, 'Pod/checkout-extra', 'ArrowRight'), 'Pod/checkout-extra');
});

test('a route to a resource backend ends the chain at the route', () => {
  const l = layoutOf(domain('static.globex.junovy.com'));
  const route = l.nodes.find((n) => n.kind === 'route')!;
  assert.equal(nextNodeId(l, route.id, 'ArrowRight'), route.id);
  assert.equal(nextNodeId(l, route.id, 'End'), route.id, 'the only node of the last column');
  assert.equal(initialNodeId(l), route.id, 'its warning makes it the first Tab stop');
});

test('in every sample, the arrow keys reach every node from the first Tab stop, and never leave a column sideways', () => {
  for (const host of Object.keys(fixtures)) {
    for (const options of [{}, { collapseAbove: 1 }] as GraphOptions[]) {
      const l: ChainLayout = layoutOf(domain(host), options);
      const byId = new Map(l.nodes.map((n) => [n.id, n]));
      const start = initialNodeId(l)!;
      const seen = new Set([start]);
      const queue = [start];
      while (queue.length) {
        const at = queue.shift()!;
        for (const key of NAVIGATION_KEYS) {
          const next = nextNodeId(l, at, key)!;
          assert.ok(byId.has(next), `${host}: ${key} from ${at} lands on a drawn node`);
          const [from, to] = [byId.get(at)!, byId.get(next)!];
          if (key === 'ArrowUp' || key === 'ArrowDown') assert.equal(to.layer, from.layer, `${host}: ${key} from ${at}`);
          if (key === 'ArrowRight') assert.ok(to.layer > from.layer || next === at, `${host}: Right from ${at}`);
          if (key === 'ArrowLeft') assert.ok(to.layer < from.layer || next === at, `${host}: Left from ${at}`);
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      assert.deepEqual([...seen].sort(), l.nodes.map((n) => n.id).sort(), `${host} ${JSON.stringify(options)}: every node is reachable`);
    }
  }
});
