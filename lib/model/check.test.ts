import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText, notCheckedText, uncheckedLinksText } from './check';
import type { LinkCheck } from './chain';

const checked: LinkCheck = { state: 'checked', by: 'probe' };
const wildcard: LinkCheck = { state: 'not-checked', reasons: ['wildcard-host'] };
const off: LinkCheck = { state: 'not-checked', reasons: ['probes-off', 'secret-unreadable'] };

test('a link not checked says so with every reason, a checked one says how', () => {
  assert.equal(notCheckedText(checked), undefined);
  assert.equal(notCheckedText(off), 'not checked (probes off, Secret not readable)');
  assert.equal(checkText(checked, 'tls'), 'checked by a TLS handshake');
  assert.equal(checkText({ state: 'checked', by: 'secret' }, 'tls'), 'checked from the certificate in the Secret');
  assert.equal(checkText(checked, 'dns'), 'checked by a DNS lookup');
});

test('a domain without findings names the links nobody checked, so it never claims every link is healthy', () => {
  assert.equal(uncheckedLinksText({ tls: { check: checked }, dns: { check: checked } } as never), undefined);
  assert.equal(uncheckedLinksText({ tls: { check: wildcard }, dns: { check: wildcard } } as never), 'TLS and DNS not checked (wildcard host)');
  assert.equal(uncheckedLinksText({ tls: { check: wildcard }, dns: { check: wildcard }, http: { check: wildcard } } as never), 'TLS, DNS and HTTP not checked (wildcard host)');
  assert.equal(
    uncheckedLinksText({ tls: { check: { state: 'checked', by: 'probe' } }, dns: { check: { state: 'checked', by: 'probe' } }, http: { check: { state: 'not-checked', reasons: ['not-probed'] } } } as never),
    'HTTP not checked (not yet probed)',
  );
  assert.equal(
    uncheckedLinksText({ tls: { check: off }, dns: { check: checked } } as never),
    'TLS not checked (probes off, Secret not readable)',
  );
  assert.equal(
    uncheckedLinksText({ tls: { check: off }, dns: { check: wildcard } } as never),
    'TLS not checked (probes off, Secret not readable); DNS not checked (wildcard host)',
  );
});
