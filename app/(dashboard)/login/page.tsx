import type { Metadata } from 'next';
import { safeNextPath } from '@/lib/auth/guard';
import { getApp } from '@/lib/server/current';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Sign in - Chainboard', robots: { index: false, follow: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * /login — the form that turns CHAINBOARD_AUTH_TOKEN into a session cookie (POST /api/login). Shown only
 * when the dashboard's own auth is on; behind forwardAuth there is nothing to do here.
 */
export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNextPath(first(params.next));
  const error = first(params.error);
  const settings = getApp().config.auth;

  return (
    <div className="mx-auto flex max-w-sm flex-col gap-6 py-12">
      <h1 className="text-2xl font-semibold">Sign in to Chainboard</h1>
      {settings.mode === 'off' ? (
        <p>
          Chainboard&apos;s own sign-in is off (CHAINBOARD_AUTH_TOKEN is not set).{' '}
          <a className="underline" href={next}>
            Continue
          </a>
        </p>
      ) : (
        <form method="post" action="/api/login" className="flex flex-col gap-4">
          <input type="hidden" name="next" value={next} />
          {/* Lets password managers file the token under a name; the server ignores it. */}
          <input type="text" name="username" value="chainboard" autoComplete="username" readOnly hidden />
          <label className="flex flex-col gap-1">
            <span className="text-sm font-medium">Access token</span>
            <input
              name="token"
              type="password"
              required
              autoComplete="current-password"
              autoFocus
              className="rounded-md border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-600"
              aria-describedby={error ? 'login-error' : undefined}
              aria-invalid={error ? true : undefined}
            />
          </label>
          {error && (
            <p id="login-error" role="alert" className="text-sm text-down">
              {error === 'misconfigured'
                ? 'Sign-in is misconfigured on the server (the token is too short).'
                : error === 'throttled'
                  ? 'Too many failed sign-ins. Wait a minute, then try again.'
                  : 'That token is not right.'}
            </p>
          )}
          {first(params.signedOut) && !error && (
            <p role="status" className="text-sm">
              You are signed out.
            </p>
          )}
          <button type="submit" className="rounded-md bg-zinc-900 px-4 py-2 font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900">
            Sign in
          </button>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">The token is the value of CHAINBOARD_AUTH_TOKEN. You stay signed in for 12 hours.</p>
        </form>
      )}
    </div>
  );
}
