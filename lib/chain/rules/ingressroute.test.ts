import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { INGRESSROUTE_SCENARIOS } from './ingressroute.scenarios';

for (const s of INGRESSROUTE_SCENARIOS) test(s.title, () => void runScenario(s));
