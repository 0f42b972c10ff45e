import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChainLink } from '../../model/chain';
import { RULE_LISTS } from '../catalogue';
import { edgeLink, nodeLink } from '../../model/ids';
import { findingId, runRules, type Rule } from './types';

const at = { link: { type: 'node', id: 'Pod/p' } as ChainLink, object: { kind: 'Pod', namespace: 'ns', name: 'p' } };

/** A rule that reports when the subject lists its code. */
const rule = (code: string, suppressedBy?: string[]): Rule<string[], null> => ({
  code,
  severity: 'warning',
  family: 'pod',
  title: code,
  description: code,
  ...(suppressedBy ? { suppressedBy } : {}),
  check: (subject) => subject.includes(code) && { message: `${code} found`, hint: `look at ${code}` },
});

const codes = (rules: Rule<string[], null>[], subject: string[]) => runRules(rules, subject, null, at).map((f) => f.code);

test('a rule is skipped when a code it is suppressed by is reported for the same subject', () => {
  const rules = [rule('pod.a'), rule('pod.b', ['pod.a'])];
  assert.deepEqual(codes(rules, ['pod.a', 'pod.b']), ['pod.a']);
  assert.deepEqual(codes(rules, ['pod.b']), ['pod.b']);
});

test('only reported codes suppress: a suppressed rule does not hide the rules it would have', () => {
  const rules = [rule('pod.a'), rule('pod.b', ['pod.a']), rule('pod.c', ['pod.b'])];
  assert.deepEqual(codes(rules, ['pod.a', 'pod.b', 'pod.c']), ['pod.a', 'pod.c']);
});

test('each rule suppressed by every rule before it gives a subject at most one finding, the first that matches', () => {
  const rules = [rule('pod.a'), rule('pod.b', ['pod.a']), rule('pod.c', ['pod.a', 'pod.b'])];
  assert.deepEqual(codes(rules, ['pod.b', 'pod.c']), ['pod.b']);
  assert.deepEqual(codes(rules, ['pod.c']), ['pod.c']);
});

test('a finding carries the rule code and severity, the subject link and object, unless the hit says otherwise', () => {
  const twoHits: Rule<null, null> = {
    code: 'pod.x',
    severity: 'warning',
    family: 'pod',
    title: 'x',
    description: 'x',
    check: () => [
      { message: 'm1', hint: 'h1' },
      { message: 'm2', hint: 'h2', severity: 'critical', link: { type: 'node', id: 'Pod/q' }, object: { kind: 'Pod', name: 'q' } },
    ],
  };
  assert.deepStrictEqual(runRules([twoHits], null, null, at), [
    { id: 'pod.x:ns/Pod/p', code: 'pod.x', severity: 'warning', link: at.link, object: at.object, message: 'm1', hint: 'h1' },
    { id: 'pod.x:/Pod/q', code: 'pod.x', severity: 'critical', link: { type: 'node', id: 'Pod/q' }, object: { kind: 'Pod', name: 'q' }, message: 'm2', hint: 'h2' },
  ]);
});

test('a finding id names the code and object, the link when it is not the object\'s own node, and the keys that tell hits apart', () => {
  const svc = { kind: 'Service', namespace: 'ns', name: 's' };
  assert.equal(findingId('service.x', svc, nodeLink('Service/s')), 'service.x:ns/Service/s');
  assert.equal(findingId('service.x', svc, nodeLink('Service/s'), '80'), 'service.x:ns/Service/s#80');
  const ing = { kind: 'Ingress', namespace: 'ns', name: 'i' };
  assert.equal(findingId('ingress.x', ing, edgeLink('Route/i/0/0', 'Service/s')), 'ingress.x:ns/Ingress/i@Route/i/0/0->Service/s');
  assert.equal(findingId('ingress.x', ing, nodeLink('Route/i/0/1'), undefined, 'other/j'), 'ingress.x:ns/Ingress/i@Route/i/0/1#other/j');
});

test('hits of one rule on one subject that share object and link get different ids through their keys', () => {
  const twoRivals: Rule<null, null> = {
    code: 'ingress.x',
    severity: 'warning',
    family: 'ingress',
    title: 'x',
    description: 'x',
    check: () => [
      { message: 'm1', hint: 'h', key: 'a' },
      { message: 'm2', hint: 'h', key: 'b' },
    ],
  };
  const ids = runRules([twoRivals], null, null, { ...at, key: '80' }).map((f) => f.id);
  assert.deepEqual(ids, ['ingress.x:ns/Pod/p#80#a', 'ingress.x:ns/Pod/p#80#b']);
});

test('a rule that returns no hits reports nothing and suppresses nothing', () => {
  const empty: Rule<string[], null> = { ...rule('pod.a'), check: () => [] };
  assert.deepEqual(codes([empty, rule('pod.b', ['pod.a'])], ['pod.b']), ['pod.b']);
});

test('every code a rule is suppressed by is that of an earlier rule of the same list', () => {
  for (const list of RULE_LISTS) {
    list.forEach((r, i) => {
      const earlier = new Set(list.slice(0, i).map((x) => x.code));
      for (const c of r.suppressedBy ?? []) assert.ok(earlier.has(c), `${r.code} is suppressed by ${c}, which is not earlier in its list`);
    });
  }
});
