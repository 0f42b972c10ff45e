import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { GATEWAY_SCENARIOS } from './gateway.scenarios';

for (const s of GATEWAY_SCENARIOS) test(s.title, () => void runScenario(s));
