import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort, waitFor } from './net';

describe('freePort', () => {
  it('gives a port on 127.0.0.1 that a server can listen on', async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((r) => server.close(r));
  });

  it('rejects for a host that is not an address of this machine', async () => {
    await assert.rejects(freePort('192.0.2.1'), /EADDRNOTAVAIL/);
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value the check returns', async () => {
    let calls = 0;
    const value = await waitFor('the third call', () => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    assert.deepEqual(value, { calls: 3 });
  });

  it('awaits an async check and treats a throwing check as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      'a check that fails twice',
      async () => {
        calls++;
        if (calls < 3) throw new Error('not listening yet');
        return 'up';
      },
      { intervalMs: 1 },
    );
    assert.equal(value, 'up');
  });

  it('names what it waited for and the last error after the timeout', async () => {
    let calls = 0;
    await assert.rejects(
      waitFor(
        'the moon',
        () => {
          calls++;
          throw new Error(`attempt ${calls} failed`);
        },
        { timeoutMs: 30, intervalMs: 5 },
      ),
      (e: Error) => {
        assert.match(e.message, /^timed out after 30 ms waiting for the moon: attempt \d+ failed$/);
        assert.ok(e.message.endsWith(`attempt ${calls} failed`), 'the last error, not the first');
        return true;
      },
    );
  });

  it('says only what it waited for when no check threw', async () => {
    await assert.rejects(waitFor('zero', () => 0, { timeoutMs: 20, intervalMs: 5 }), {
      message: 'timed out after 20 ms waiting for zero',
    });
  });

  it('gives up at once with the reason abort returns, without asking the check again', async () => {
    let calls = 0;
    let dead = false;
    const started = Date.now();
    await assert.rejects(
      waitFor(
        'the server to listen',
        () => {
          calls++;
          if (calls === 2) dead = true;
          return false;
        },
        { timeoutMs: 10_000, intervalMs: 1, abort: () => (dead ? 'the server exited (code 1)' : undefined) },
      ),
      { message: 'the server exited (code 1) while waiting for the server to listen' },
    );
    assert.equal(calls, 2);
    assert.ok(Date.now() - started < 5000, 'long before the timeout');
  });

  it('polls every intervalMs', async () => {
    const times: number[] = [];
    await waitFor('five checks', () => (times.push(Date.now()) >= 5 ? true : undefined), { intervalMs: 20 });
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    assert.ok(span >= 4 * 20 - 5, `four pauses of about 20 ms, took ${span} ms`);
  });
});
