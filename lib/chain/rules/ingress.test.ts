import { test } from 'node:test';
import { INGRESS_SCENARIOS, runScenario } from '../__fixtures__/scenarios';

for (const s of INGRESS_SCENARIOS) test(s.title, () => void runScenario(s));
