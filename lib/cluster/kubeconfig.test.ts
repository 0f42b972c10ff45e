import assert from 'node:assert/strict';
import { delimiter } from 'node:path';
import { describe, test } from 'node:test';
import { KubeConfigError, locateKubeConfig, SERVICE_ACCOUNT_TOKEN, type KubeConfigSystem } from './kubeconfig';

function system(env: Record<string, string>, files: string[], home = '/home/ops'): KubeConfigSystem {
  const present = new Set(files);
  return { env, home: () => home, exists: (p) => present.has(p) };
}

function problem(fn: () => unknown): { problem: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof KubeConfigError, String(e));
    return { problem: e.problem, message: e.message };
  }
  assert.fail('no KubeConfigError');
}

describe('locateKubeConfig', () => {
  test('says in one line that there is no kubeconfig, instead of falling back to localhost:8080', () => {
    assert.deepEqual(
      problem(() => locateKubeConfig({}, system({}, []))),
      {
        problem: 'none',
        message: 'no kubeconfig: KUBECONFIG is not set, /home/ops/.kube/config does not exist, and this is not a Pod with a service account token',
      },
    );
  });

  test('takes the explicit file, and names it when it does not exist', () => {
    assert.deepEqual(locateKubeConfig({ kubeconfig: '/k' }, system({ KUBECONFIG: '/other' }, ['/k', '/other'])), { from: 'flag', files: ['/k'] });
    assert.deepEqual(problem(() => locateKubeConfig({ kubeconfig: '/k' }, system({}, ['/home/ops/.kube/config']))), {
      problem: 'file-missing',
      message: 'kubeconfig /k does not exist',
    });
  });

  test('skips missing KUBECONFIG files as kubectl does, and fails only when none exists', () => {
    const list = ['/a', '/b', '/c'].join(delimiter);
    assert.deepEqual(locateKubeConfig({}, system({ KUBECONFIG: list }, ['/b', '/c'])), { from: 'KUBECONFIG', files: ['/b', '/c'] });
    assert.deepEqual(problem(() => locateKubeConfig({}, system({ KUBECONFIG: list }, ['/home/ops/.kube/config']))), {
      problem: 'file-missing',
      message: 'KUBECONFIG names no file that exists: /a, /b, /c',
    });
  });

  test('falls back to ~/.kube/config, then to the in-cluster ServiceAccount', () => {
    assert.deepEqual(locateKubeConfig({}, system({ KUBECONFIG: '' }, ['/home/ops/.kube/config', SERVICE_ACCOUNT_TOKEN])), {
      from: 'home',
      files: ['/home/ops/.kube/config'],
    });
    assert.deepEqual(locateKubeConfig({}, system({}, [SERVICE_ACCOUNT_TOKEN])), { from: 'in-cluster' });
  });
});
