import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgs } from './args';

describe('parseArgs', () => {
  test('reads hosts, repeated --from, the prefix, --json, --no-color and --now in any order', () => {
    assert.deepEqual(
      parseArgs(['check', 'App.Example.com', '--from', 'a.yaml', '--json', '--from=dumps/', 'b.example.com', '--namespace-prefix', 'cl-', '--no-color', '--now=2026-11-26T09:30:00Z']),
      {
        command: 'check',
        options: {
          hosts: ['app.example.com', 'b.example.com'],
          from: ['a.yaml', 'dumps/'],
          namespacePrefix: 'cl-',
          json: true,
          unhealthy: false,
          summary: false,
          contexts: [],
          color: false,
          now: new Date('2026-11-26T09:30:00Z'),
          probeFlags: {},
        },
      },
    );
  });

  test('reads the live-mode and probe flags, with --dns-server repeatable', () => {
    assert.deepEqual(
      parseArgs(['check', '--context', 'prod', '--kubeconfig=/k', '--no-probe', '--probe-address', '10.0.0.5', '--probe-port=8443', '--dns-server', '127.0.0.1:53', '--dns-server=127.0.0.2', '--probe-ca-file', 'ca.pem', '--tls-expiring-fraction', '0.25']),
      {
        command: 'check',
        options: {
          hosts: [],
          from: [],
          json: false,
          unhealthy: false,
          summary: false,
          contexts: ['prod'],
          kubeconfig: '/k',
          probeFlags: {
            'no-probe': true,
            'probe-address': '10.0.0.5',
            'probe-port': '8443',
            'dns-server': ['127.0.0.1:53', '127.0.0.2'],
            'probe-ca-file': 'ca.pem',
            'tls-expiring-fraction': '0.25',
          },
        },
      },
    );
  });

  test('takes an empty namespace prefix, which means every namespace', () => {
    assert.deepEqual(parseArgs(['check', '--namespace-prefix', '', '--from', 'x']), {
      command: 'check',
      options: { hosts: [], from: ['x'], namespacePrefix: '', json: false, unhealthy: false, summary: false, contexts: [], probeFlags: {} },
    });
  });

  test('reads --context as often as it is given, NAME=CONTEXT and * as written, in order', () => {
    const inv = parseArgs(['check', '--context', 'kind-eu', '--context=us=gke_acme_us-east1_prod', '--context', '*']);
    assert.ok(inv.command === 'check');
    assert.deepEqual(inv.options.contexts, ['kind-eu', 'us=gke_acme_us-east1_prod', '*']);
    assert.deepEqual(parseArgs(['check', '--context=']), { command: 'usage-error', message: '--context needs a context name', topic: 'check' });
  });

  test('treats everything after -- as a host', () => {
    assert.deepEqual(parseArgs(['check', '--from', 'x', '--', '--json']), {
      command: 'check',
      options: { hosts: ['--json'], from: ['x'], json: false, unhealthy: false, summary: false, contexts: [], probeFlags: {} },
    });
  });

  test('reads --unhealthy and --summary, which together give one line per broken domain', () => {
    const inv = parseArgs(['check', '--summary', '--from', 'x', '--unhealthy']);
    assert.equal(inv.command, 'check');
    if (inv.command !== 'check') return;
    assert.equal(inv.options.unhealthy, true);
    assert.equal(inv.options.summary, true);
  });

  test('refuses --summary with --json: the summary is for reading, the JSON for jq', () => {
    assert.deepEqual(parseArgs(['check', '--summary', '--json']), {
      command: 'usage-error',
      message: '--summary and --json do not go together (try --json | jq)',
      topic: 'check',
    });
  });

  test('answers --help at the top and for check', () => {
    assert.deepEqual(parseArgs(['--help']), { command: 'help', topic: 'main' });
    assert.deepEqual(parseArgs(['help', 'check']), { command: 'help', topic: 'check' });
    assert.deepEqual(parseArgs(['check', 'a.example.com', '-h']), { command: 'help', topic: 'check' });
    assert.deepEqual(parseArgs(['--version']), { command: 'version' });
  });

  test('turns mistakes into usage errors that say what is wrong', () => {
    assert.deepEqual(parseArgs([]), { command: 'usage-error', message: 'no command given', topic: 'main' });
    assert.deepEqual(parseArgs(['chek']), { command: 'usage-error', message: 'unknown command chek', topic: 'main' });
    assert.deepEqual(parseArgs(['check', '--form', 'x']), { command: 'usage-error', message: 'unknown option --form', topic: 'check' });
    assert.deepEqual(parseArgs(['check', '--from']), { command: 'usage-error', message: '--from needs a value', topic: 'check' });
    assert.deepEqual(parseArgs(['check', '--from', '--json']), { command: 'usage-error', message: '--from needs a value', topic: 'check' });
    assert.deepEqual(parseArgs(['check', '--now', 'yesterday']), {
      command: 'usage-error',
      message: '--now needs an ISO 8601 time such as 2026-11-26T09:30:00Z, not "yesterday"',
      topic: 'check',
    });
  });
});
