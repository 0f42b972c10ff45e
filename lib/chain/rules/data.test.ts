import { test } from 'node:test';
import { DATA_SCENARIOS, runScenario } from '../__fixtures__/scenarios';

for (const s of DATA_SCENARIOS) test(s.title, () => void runScenario(s));
