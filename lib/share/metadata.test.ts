import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../chain';
import { loadDump } from '../cluster/dump';
import { sampleApp } from '../server/testing';
import { domainMetadata, previewDescription, previewTitle, sharedTitle } from './metadata';
import { redactDomain } from './redact';

const app = sampleApp();
const now = new Date('2026-11-26T09:30:00Z');
const result = analyze(loadDump(join(__dirname, '..', '..', 'samples', 'cluster')).snapshot, { now });
const shared = (host: string) => redactDomain(result.domains.find((d) => d.host === host)!, result.analyzedAt);

describe('link previews of /d/{host}', () => {
  test('the title is "host — health"', () => {
    assert.equal(previewTitle('checkout.acme.junovy.com', 'down'), 'checkout.acme.junovy.com — down');
  });

  test('the description leads with the top finding and counts the rest', () => {
    assert.equal(
      previewDescription(shared('checkout.acme.junovy.com')),
      'No ready endpoints: The Service port has endpoints but none is ready: every request to the domain fails. (+2 more problems)',
    );
    assert.equal(previewDescription(shared('app.my-client.junovy.com')), 'No problems found along the chain (1 route).');
  });

  test('the description is redacted and at most 200 characters', () => {
    for (const d of result.domains) {
      const text = previewDescription(redactDomain(d, result.analyzedAt));
      assert.ok(text.length <= 200, `${d.host}: ${text.length}`);
      assert.ok(!/10\.42\.|worker-\d/.test(text), text);
      // No object name either: chat vendors keep previews on their servers.
      // (redact.test.ts checks every name of every chain; the Secret names and namespaces stand for them here.)
      assert.ok(!/\bhst-|[a-z]-tls\b/.test(text), text);
    }
  });

  test('generateMetadata gives Open Graph and Twitter cards for a sample domain', async () => {
    const m = await domainMetadata(app, 'checkout.acme.junovy.com');
    assert.equal(m.title, 'checkout.acme.junovy.com — down');
    assert.match(String(m.description), /^No ready endpoints: /);
    assert.deepEqual(m.openGraph, { title: m.title, description: m.description, url: '/d/checkout.acme.junovy.com', type: 'website', siteName: 'Chainboard' });
    assert.deepEqual(m.twitter, { card: 'summary_large_image', title: m.title, description: m.description });
    const missing = await domainMetadata(app, 'nope.example.com');
    assert.equal(missing.title, 'nope.example.com — not found');
  });
});

describe('the Open Graph image of /d/{host}', () => {
  test('shows the host, health and the redacted top finding, as a 1200x630 PNG', async () => {
    const og = await import('./og');
    const card = await og.ogCard(app.api, 'checkout.acme.junovy.com');
    assert.deepEqual(card, {
      host: 'checkout.acme.junovy.com',
      health: 'down',
      headline: 'No ready endpoints: The Service port has endpoints but none is ready: every request to the domain fails. (+2 more problems)',
      counts: { routes: 1, problems: 3 },
    });
    const res = og.renderOgCard(card);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await res.arrayBuffer());
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.readUInt32BE(16), 1200);
    assert.equal(png.readUInt32BE(20), 630);
    assert.deepEqual(await og.ogCard(app.api, 'nope.example.com'), { host: 'nope.example.com', health: 'not found', headline: 'no route in a client environment serves nope.example.com' });
  });
});

test('a share page names the cluster in its title only when Chainboard watches several', () => {
  assert.equal(sharedTitle('shop.example.com', 'down'), 'shop.example.com — down');
  assert.equal(sharedTitle('shop.example.com', 'down', 'eu'), 'shop.example.com (cluster eu) — down');
});
