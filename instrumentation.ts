/**
 * Next runs `register()` once when a server starts (`next start`, `next dev`, or the custom server in
 * bin/chainboard-server.mjs), inside the server's own bundle. It installs the read API's fast path
 * (lib/server/fast-path.ts) on globalThis, where bin/chainboard-server.mjs finds it; under `next start` or
 * `next dev` nothing looks for it and Next's route handlers answer as usual.
 *
 * @see https://nextjs.org/docs/app/guides/instrumentation
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installFastPath } = await import('./lib/server/fast-path');
  installFastPath();
}
