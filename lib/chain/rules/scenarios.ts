/**
 * Every rule family's scenarios and near-misses together (test code only), for the catalogue tests:
 * every code is triggered by a fixture or a scenario, and has a near-miss that comes out healthy.
 */
import type { AnalysisResult } from '../../model/chain';
import { run } from '../__fixtures__/load';
import type { Scenario } from '../__fixtures__/scenario';
import { ACME_NEAR_MISSES, ACME_SCENARIOS } from './acme.scenarios';
import { DATA_NEAR_MISSES, DATA_SCENARIOS } from './data.scenarios';
import { DNS_NEAR_MISSES, DNS_SCENARIOS } from './dns.scenarios';
import { GATEWAY_NEAR_MISSES, GATEWAY_SCENARIOS } from './gateway.scenarios';
import { HTTP_NEAR_MISSES, HTTP_SCENARIOS } from './http.scenarios';
import { INGRESS_NEAR_MISSES, INGRESS_SCENARIOS } from './ingress.scenarios';
import { INGRESSROUTE_NEAR_MISSES, INGRESSROUTE_SCENARIOS } from './ingressroute.scenarios';
import { POD_NEAR_MISSES, POD_SCENARIOS } from './pod.scenarios';
import { SERVICE_NEAR_MISSES, SERVICE_SCENARIOS } from './service.scenarios';
import { TLS_NEAR_MISSES, TLS_SCENARIOS } from './tls.scenarios';
import { TRAEFIK_NEAR_MISSES, TRAEFIK_SCENARIOS } from './traefik.scenarios';

/** Every scenario, for the catalogue coverage test. */
export const ALL_SCENARIOS: Scenario[] = [
  ...INGRESS_SCENARIOS,
  ...TRAEFIK_SCENARIOS,
  ...INGRESSROUTE_SCENARIOS,
  ...GATEWAY_SCENARIOS,
  ...SERVICE_SCENARIOS,
  ...POD_SCENARIOS,
  ...TLS_SCENARIOS,
  ...ACME_SCENARIOS,
  ...DNS_SCENARIOS,
  ...HTTP_SCENARIOS,
  ...DATA_SCENARIOS,
];

/** For every rule code, a near-miss that must come out healthy without it: a fixture name, or a scenario title. */
export const HEALTHY_COUNTERPARTS: Record<string, string> = {
  ...INGRESS_NEAR_MISSES,
  ...TRAEFIK_NEAR_MISSES,
  ...INGRESSROUTE_NEAR_MISSES,
  ...GATEWAY_NEAR_MISSES,
  ...TLS_NEAR_MISSES,
  ...ACME_NEAR_MISSES,
  ...DNS_NEAR_MISSES,
  ...HTTP_NEAR_MISSES,
  ...SERVICE_NEAR_MISSES,
  ...POD_NEAR_MISSES,
  ...DATA_NEAR_MISSES,
};

/** Analyse a counterpart: a scenario by title, or a fixture as is. */
export function runCounterpart(name: string): AnalysisResult {
  const s = ALL_SCENARIOS.find((x) => x.title === name);
  return s ? run(s.fixture, s.opts, s.edit) : run(name);
}
