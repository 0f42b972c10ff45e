import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startDemoServer } from '../../demo/server';
import { FIXTURE_DUMP } from '../../demo/testing';
import { getRuntime, runtimeConfigFromEnv, stopRuntime } from './runtime';

describe('the runtime', () => {
  it('reads its configuration from the environment', () => {
    assert.deepEqual(runtimeConfigFromEnv({}), { context: undefined, namespaces: undefined, namespacePrefix: 'hst-', withSecrets: false, withCertificates: false });
    assert.deepEqual(
      runtimeConfigFromEnv({
        CHAINBOARD_CONTEXT: 'prod',
        CHAINBOARD_NAMESPACES: 'hst-a, hst-b  hst-c,',
        CHAINBOARD_NAMESPACE_PREFIX: '',
        CHAINBOARD_READ_SECRETS: 'true',
        CHAINBOARD_CERT_MANAGER: '1',
      }),
      { context: 'prod', namespaces: ['hst-a', 'hst-b', 'hst-c'], namespacePrefix: '', withSecrets: true, withCertificates: true },
    );
  });

  it('starts one live source per process from KUBECONFIG and the chosen context, and stops it', async () => {
    const demo = await startDemoServer({ dumpPath: FIXTURE_DUMP });
    const dir = mkdtempSync(join(tmpdir(), 'chainboard-runtime-'));
    const saved = { ...process.env };
    try {
      process.env.KUBECONFIG = demo.writeKubeconfig(join(dir, 'kubeconfig'), { context: 'demo-ctx' });
      process.env.CHAINBOARD_CONTEXT = 'demo-ctx';
      process.env.CHAINBOARD_NAMESPACES = 'hst-acme,hst-globex';
      const rt = getRuntime();
      assert.equal(getRuntime(), rt, 'the second call returns the same runtime');
      await rt.store.ready();
      const result = rt.store.getResult().result!;
      assert.deepEqual(result.namespaces.map((n) => n.name), ['hst-acme', 'hst-globex']);
      await stopRuntime();
      process.env.CHAINBOARD_CONTEXT = 'no-such-context';
      assert.throws(() => getRuntime(), /kubeconfig has no context "no-such-context"/);
    } finally {
      process.env = saved;
      await stopRuntime();
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
