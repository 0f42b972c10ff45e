import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { SERVICE_SCENARIOS } from './service.scenarios';

for (const s of SERVICE_SCENARIOS) test(s.title, () => void runScenario(s));
