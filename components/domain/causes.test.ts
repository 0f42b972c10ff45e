import assert from 'node:assert/strict';
import { test } from 'node:test';
import { domain } from '../chain/__fixtures__/domains';
import { causesOf } from './causes';

test('a symptom\'s causes are the findings of its chain it names, in its order', () => {
  const d = domain('checkout.acme.junovy.com');
  const symptom = d.findings.find((f) => f.code === 'service.no-ready-endpoints')!;
  assert.deepEqual(
    causesOf(symptom, d.findings).map((f) => [f.code, f.object.name]),
    [
      ['pod.crash-loop', 'checkout-q8x4sv2bzk-r7fpn'],
      ['pod.crash-loop', 'checkout-q8x4sv2bzk-zrghq'],
    ],
  );
});

test('a finding without causes has none, and a cause missing from the list is skipped', () => {
  const d = domain('checkout.acme.junovy.com');
  const info = d.findings.find((f) => f.code === 'tls.managed-by-resolver')!;
  assert.deepEqual(causesOf(info, d.findings), []);
  const symptom = d.findings.find((f) => f.code === 'service.no-ready-endpoints')!;
  assert.deepEqual(causesOf({ ...symptom, causes: ['gone', ...symptom.causes!] }, d.findings).length, 2);
});
