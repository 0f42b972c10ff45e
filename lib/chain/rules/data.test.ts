import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { DATA_SCENARIOS } from './data.scenarios';

for (const s of DATA_SCENARIOS) test(s.title, () => void runScenario(s));
