import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { waitFor } from '../testing/net';
import { ApiError, clientNodeTransport, isResourceVersionTooLarge, statusError, toApiError } from './transport';

/** kube-apiserver's answer to a resourceVersion its storage has not reached (k8s.io/apiserver storage.NewTooLargeResourceVersionError). */
const TOO_LARGE = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Timeout: Too large resource version: 1234, current: 56',
  reason: 'Timeout',
  details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
  code: 504,
};

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** An HTTP server on 127.0.0.1 and a KubeConfig pointing at it. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<KubeConfig> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('the transport', () => {
  it('reads a ResourceVersionTooLarge Status, and tells it from other timeouts', () => {
    const e = statusError(TOO_LARGE, { message: 'fallback' });
    assert.equal(e.status, 504);
    assert.equal(e.reason, 'Timeout');
    assert.deepEqual(e.causes, ['ResourceVersionTooLarge']);
    assert.equal(isResourceVersionTooLarge(e), true);
    assert.equal(isResourceVersionTooLarge(new ApiError('Timeout: request did not complete within 60s', 504, 'Timeout')), false);
    assert.equal(isResourceVersionTooLarge(new ApiError('too old resource version', 410, 'Expired')), false);
  });

  it('turns a list answered with ResourceVersionTooLarge into that error, the query passed as given', async () => {
    const seen: string[] = [];
    const kc = await serve((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(504, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(TOO_LARGE));
    });
    const err = await clientNodeTransport(kc)
      .list('/api/v1/pods', { limit: 1, resourceVersion: '1234', resourceVersionMatch: 'NotOlderThan' })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ApiError && isResourceVersionTooLarge(err), String(err));
    assert.equal(err.message, TOO_LARGE.message);
    assert.deepEqual(seen, ['/api/v1/pods?limit=1&resourceVersion=1234&resourceVersionMatch=NotOlderThan']);
  });

  it('ends a watch that sends nothing after its own idle limit, not client-node’s 30 s', async () => {
    // The limit lives in a private field of client-node's Watch; an upgrade that renames it fails here.
    assert.equal((new Watch(new KubeConfig()) as unknown as { requestTimeoutMs?: number }).requestTimeoutMs, 30_000);
    const kc = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
    });
    let done: { err?: ApiError } | undefined;
    // Long enough for the headers to arrive on a busy machine (a 1 s limit failed under a load of 10 on two
    // cores): before them, the limit is a connect timeout, which is reported as a failure.
    await clientNodeTransport(kc, { watchIdleTimeoutMs: 4000 }).watch('/api/v1/pods', { allowWatchBookmarks: true }, () => undefined, (err) => (done = { err }));
    await waitFor('the idle watch to end', () => done, { timeoutMs: 10_000 });
    assert.equal(done?.err, undefined, 'an idle accepted watch ends normally, so the informer resumes it');
  });

  it('reports a request that timed out before any answer as unreachable, not as an HTTP status', () => {
    const e = toApiError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    assert.equal(e.status, undefined);
    assert.equal(e.message, 'request timed out');
  });
});
