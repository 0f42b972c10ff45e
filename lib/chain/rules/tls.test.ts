import { test } from 'node:test';
import { TLS_SCENARIOS, runScenario } from '../__fixtures__/scenarios';

for (const s of TLS_SCENARIOS) test(s.title, () => void runScenario(s));
