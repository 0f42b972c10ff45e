import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { curlHint, httpUrl } from './http';
import { HTTP_SCENARIOS } from './http.scenarios';

for (const s of HTTP_SCENARIOS) test(s.title, () => void runScenario(s));

test('the curl hint pins the host to the dialled address, so SNI and Host are the domain', () => {
  assert.equal(curlHint({ host: 'a.test', path: '/api', target: '10.0.0.5:443' }), 'curl -sv --resolve a.test:443:10.0.0.5 https://a.test/api');
  assert.equal(curlHint({ host: 'a.test', path: '/', target: '[fd00::1]:8443' }), 'curl -sv --resolve a.test:8443:[fd00::1] https://a.test:8443/');
  assert.equal(httpUrl({ host: 'a.test', path: '/x?y=1', target: '127.0.0.1:443' }), 'https://a.test/x?y=1');
});
