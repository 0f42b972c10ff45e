#!/usr/bin/env node
// Chainboard's production server: a plain Node HTTP server around Next's request handler. Each request
// goes first to the app's fast path (the read API and the kubelet's probes, lib/server/fast-path.ts), then
// to the preflight checks (a malformed path's 400, a page's 405, the status of a page's "not valid" notice,
// lib/server/preflight.ts), then to Next behind a render queue that bounds how many requests Next works on
// at once and refuses with 503 what would wait too long (lib/server/shed.ts). The app is built by
// instrumentation.ts while Next prepares and kept under one global key (lib/server/current.ts), which
// this file reads: it is not compiled by Next, so that key is its only way to the app, and the listener
// comes from there (`serve`, lib/server/app.ts and front.ts). `npm start`, `npm run demo -- --prod`, the
// benchmarks, the browser tests and the container image all run this, so what is measured and tested is
// what ships.
//
// Why a custom server instead of `next start`: a route handler behind Next's router costs 1.5-3.5 ms per
// request on a 2-core machine, the JSON the fast path serves costs ~0.1 ms; see bench/README.md. And
// Next renders every page request it is handed at once: under a few hundred connections nothing, the
// probes included, answers in time. Everything else (pages, assets, the other API routes) is Next's,
// unchanged. Next documents custom servers as not combinable with `output: 'standalone'`, so the image
// ships the production node_modules instead.
//
//   node bin/chainboard-server.mjs [-H HOST] [-p PORT]      (default 127.0.0.1, and PORT or 3000)
//
// The listen address is a flag only: HOSTNAME is often exported with the machine's name (containers), and
// a server meant for loopback must not end up on a public interface because of it. The render queue's
// settings are environment variables (CHAINBOARD_RENDER_*, README's configuration table).
//
// Needs a production build (`npm run build`). SIGTERM/SIGINT close the listener and exit.
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
// The key of lib/server/current.ts (APP_KEY).
const APP_KEY = Symbol.for('chainboard.app');

const { values } = parseArgs({
  options: { hostname: { type: 'string', short: 'H' }, port: { type: 'string', short: 'p' } },
  strict: true,
});
const hostname = values.hostname ?? '127.0.0.1';
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`chainboard-server: invalid port ${values.port ?? process.env.PORT}`);
  process.exit(2);
}
if (!existsSync(join(DIR, '.next', 'BUILD_ID'))) {
  console.error('chainboard-server: no production build in .next: run `npm run build` first');
  process.exit(2);
}
process.env.NODE_ENV = 'production';

const { default: next } = await import('next');
const app = next({ dev: false, dir: DIR, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const chainboard = globalThis[APP_KEY];
let listener = handle;
if (typeof chainboard?.serve === 'function') {
  listener = chainboard.serve(handle);
} else {
  console.warn('chainboard-server: no app after instrumentation.ts ran; Next serves every route');
}

const server = createServer(listener);
// Longer than the usual load balancer idle timeouts, so a kept-alive connection is not closed under a
// request in flight (Traefik's default is 90 s on its side).
server.keepAliveTimeout = 95_000;
server.headersTimeout = 96_000;
server.on('error', (e) => {
  console.error(`chainboard-server: ${e.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  const a = server.address();
  const shown = typeof a === 'object' && a ? `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}` : `${hostname}:${port}`;
  const q = listener.settings;
  const front = q ? `fast path on; render queue: ${q.concurrency} at once, ${q.queueLimit} waiting, ${q.maxWaitMs} ms at most` : 'fast path off';
  console.log(`chainboard-server: ready on http://${shown} (${front})`);
});

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    // Stop accepting, let requests in flight finish (idle kept-alive sockets are closed), write what the
    // history store has queued, then exit.
    let pending = 2;
    const done = () => --pending === 0 && process.exit(0);
    server.close(done);
    server.closeIdleConnections();
    Promise.resolve(chainboard?.shutdown?.()).catch(() => {}).finally(done);
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
