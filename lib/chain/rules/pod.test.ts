import { test } from 'node:test';
import { POD_SCENARIOS, runScenario } from '../__fixtures__/scenarios';

for (const s of POD_SCENARIOS) test(s.title, () => void runScenario(s));
