import { test } from 'node:test';
import { DNS_SCENARIOS, runScenario } from '../__fixtures__/scenarios';

for (const s of DNS_SCENARIOS) test(s.title, () => void runScenario(s));
