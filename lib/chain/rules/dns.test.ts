import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { digServerArgs } from './dns';
import { DNS_SCENARIOS } from './dns.scenarios';

for (const s of DNS_SCENARIOS) test(s.title, () => void runScenario(s));

test('the dig hint gives a server port to -p, since dig reads @ip:port as a host name', () => {
  assert.equal(digServerArgs('127.0.0.1:50561'), '-p 50561 @127.0.0.1');
  assert.equal(digServerArgs('[::1]:5353'), '-p 5353 @::1');
});

test('the dig hint names a server on the default port without -p, and IPv6 without brackets', () => {
  assert.deepEqual(
    ['10.0.0.10', '10.0.0.10:53', '[::1]:53', '[::1]', 'fd00::10', '127.0.0.1:5300, 10.0.0.10', undefined, ''].map(digServerArgs),
    ['@10.0.0.10', '@10.0.0.10', '@::1', '@::1', '@fd00::10', '-p 5300 @127.0.0.1', '', ''],
  );
});
