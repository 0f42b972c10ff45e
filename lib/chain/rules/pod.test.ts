import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { POD_SCENARIOS } from './pod.scenarios';

for (const s of POD_SCENARIOS) test(s.title, () => void runScenario(s));
