/**
 * The scenarios of the data rules (what could not be read makes a chain unknown, never healthy) (test code only): for each code a fixture that triggers it, with the
 * whole expected outcome, and a healthy near-miss. data.test.ts runs the scenarios; the catalogue tests
 * check every code has both.
 */
import { f, HOST, node, NS, ref, resolverInfo } from '../__fixtures__/load';
import { gap, one, pod, podNode, type Scenario, svc, svcNode } from '../__fixtures__/scenario';

const domainNode = node(`Domain/${HOST}`);
const nsNode = node(`Namespace/${NS}`);

export const DATA_SCENARIOS: Scenario[] = [
  {
    title: 'a forbidden Pod list makes the domain unknown, never healthy, with a data.forbidden finding',
    fixture: 'seed',
    edit: gap({ reason: 'forbidden', kind: 'Pod', namespace: NS, message: 'pods is forbidden: User "system:serviceaccount:chainboard:chainboard" cannot list resource "pods"' }),
    domains: one('unknown', f('data.forbidden', 'info', ref('Pod', '*'), domainNode), resolverInfo()),
    namespace: { health: 'unknown', findings: [f('data.forbidden', 'info', ref('Pod', '*'), nsNode)] },
  },
  {
    title: 'EndpointSlices not synced yet make the domain unknown with data.not-synced, and no endpoint rule guesses',
    fixture: 'service-no-endpoints',
    edit: gap({ reason: 'not-synced', kind: 'EndpointSlice', namespace: NS, message: 'initial list not complete' }),
    domains: one(
      'unknown',
      f('pod.pending', 'warning', pod(0), podNode(0)),
      f('pod.pending', 'warning', pod(1), podNode(1)),
      f('data.not-synced', 'info', ref('EndpointSlice', '*'), domainNode),
      resolverInfo(),
    ),
  },
  {
    title: 'a failed Service list is data.error, and a critical finding still makes the domain down',
    fixture: 'service-no-ready-endpoints',
    edit: gap({ reason: 'error', kind: 'Service', message: 'the server is currently unable to handle the request' }),
    domains: one(
      'down',
      f('service.no-ready-endpoints', 'critical', svc, svcNode),
      f('pod.not-ready', 'warning', pod(0), podNode(0)),
      f('pod.not-ready', 'warning', pod(1), podNode(1)),
      f('data.error', 'info', ref('Service', '*'), domainNode),
      resolverInfo(),
    ),
  },
];

/** For every data code, a near-miss that must come out healthy without it: a fixture, or the title of a scenario above. */
export const DATA_NEAR_MISSES: Record<string, string> = {
  'data.forbidden': 'seed',
  'data.not-synced': 'seed',
  'data.error': 'seed',
};
