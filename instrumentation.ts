/**
 * Next runs `register()` once when a server starts (`next start`, `next dev`, or the production server
 * bin/chainboard-server.mjs), inside the server's own bundle. It builds the app from the environment
 * (lib/server/current.ts), so a bad setting stops the server at start with every problem listed, and the
 * app's fast path is in place before bin/chainboard-server.mjs takes its first request.
 *
 * @see https://nextjs.org/docs/app/guides/instrumentation
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startApp } = await import('./lib/server/current');
  startApp();
}
