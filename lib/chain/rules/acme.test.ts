import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { ACME_SCENARIOS } from './acme.scenarios';

for (const s of ACME_SCENARIOS) test(s.title, () => void runScenario(s));
