import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { DNS_SCENARIOS } from './dns.scenarios';

for (const s of DNS_SCENARIOS) test(s.title, () => void runScenario(s));
