import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { TLS_SCENARIOS } from './tls.scenarios';

for (const s of TLS_SCENARIOS) test(s.title, () => void runScenario(s));
