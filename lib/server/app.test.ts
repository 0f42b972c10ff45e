// The composition root over the demo Kubernetes API server (the real list/watch protocol on 127.0.0.1):
// the process's app built from the environment, its live source started on first use, stopped, and a
// failed start reported and retried rather than kept.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startDemoServer } from '../../demo/server';
import { FIXTURE_DUMP } from '../../demo/testing';
import { waitFor } from '../testing/net';
import { getApp, setApp } from './current';

describe('the app', () => {
  it('starts one live source per process from KUBECONFIG and the chosen context, and stops it', async () => {
    const demo = await startDemoServer({ dumpPath: FIXTURE_DUMP });
    const dir = mkdtempSync(join(tmpdir(), 'chainboard-app-'));
    const saved = { ...process.env };
    const previous = setApp(undefined);
    try {
      process.env.KUBECONFIG = demo.writeKubeconfig(join(dir, 'kubeconfig'), { context: 'demo-ctx' });
      process.env.CHAINBOARD_CONTEXT = 'demo-ctx';
      process.env.CHAINBOARD_NAMESPACES = 'hst-acme,hst-globex';
      delete process.env.CHAINBOARD_DUMP;
      // History is on for a live cluster: its store goes in the test's folder, never the checkout's ./data.
      process.env.CHAINBOARD_DATA_DIR = join(dir, 'history');
      const app = getApp();
      assert.equal(getApp(), app, 'the second call returns the same app');
      assert.equal(await app.source(), await app.source(), 'and the same source');
      const overview = await waitFor('the first sync', async () => {
        const o = await app.api.getOverview();
        return o.ok ? o.data : undefined;
      });
      assert.deepEqual(overview.namespaces.map((n) => n.name), ['hst-acme', 'hst-globex']);
      // The recorder follows the live source into the store: the first synced view is each domain's first transition.
      // The embedded store's first open runs initdb in a child process, which takes seconds on a loaded CI
      // machine: the deadline is generous, and a timeout names the store's state (it reconnects by itself,
      // so an unavailable moment is not yet a failure).
      const states = await waitFor(
        'the first transitions recorded',
        async () => {
          const st = app.history.status();
          if (!st.available) throw new Error(`history unavailable: ${st.reason}`);
          const s = await app.history.lastStates('default');
          if (!s || s.size === 0) throw new Error(`history available, ${st.pending} records pending, none written yet`);
          return s;
        },
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      assert.ok(states.has('www.globex.example.com'), [...states.keys()].join(', '));
      assert.equal(app.history.status().engine, 'pglite');
      await setApp(undefined)?.shutdown();

      process.env.CHAINBOARD_CONTEXT = 'no-such-context';
      const broken = getApp();
      await assert.rejects(broken.source(), /kubeconfig has no context "no-such-context"/);
      await assert.rejects(broken.source(), /no-such-context/, 'a failed start is tried again, not kept');
      const answer = await broken.api.getDomain('www.acme.junovy.com');
      assert.ok(!answer.ok && answer.status === 503 && /no-such-context/.test(answer.body.error.message));
    } finally {
      process.env = saved;
      await setApp(previous)?.shutdown();
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
