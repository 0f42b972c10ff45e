import { test } from 'node:test';
import { SERVICE_SCENARIOS, runScenario } from '../__fixtures__/scenarios';

for (const s of SERVICE_SCENARIOS) test(s.title, () => void runScenario(s));
