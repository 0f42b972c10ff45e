import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { INGRESS_SCENARIOS } from './ingress.scenarios';

for (const s of INGRESS_SCENARIOS) test(s.title, () => void runScenario(s));
