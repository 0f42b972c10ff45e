'use client';
/**
 * Share one domain with a client: asks POST /api/v1/share for a signed, expiring link to the redacted
 * view of the host in one cluster, shows it and copies it. Says so when sharing is off on the server.
 *
 * ```tsx
 * <ShareButton host={domain.host} cluster={domain.cluster} />
 * ```
 */
import { useId, useRef, useState } from 'react';

/** The answer of POST /api/v1/share (lib/share/service.ts `ShareLinkResponse`). */
interface ShareLink {
  host: string;
  cluster: string;
  /** Listed in CHAINBOARD_SHARE_REVOKED, it withdraws this link. */
  id: string;
  path: string;
  url?: string;
  badgePath: string;
  expiresAt: string;
}

type State =
  | { type: 'idle' }
  | { type: 'busy' }
  | { type: 'done'; link: ShareLink; url: string; copied: boolean }
  | { type: 'off'; message: string }
  | { type: 'error'; message: string };

/** Lifetimes offered; the server accepts 5 minutes to 90 days. */
const TTLS = [
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
] as const;

export interface ShareButtonProps {
  host: string;
  /**
   * The cluster whose chain the link shows (the page's `domain.cluster`), signed into the link. Without
   * it the server picks the one cluster serving the host, and refuses a host two clusters serve.
   */
  cluster?: string;
  /** Name the cluster beside the link made (when the dashboard watches several). */
  showCluster?: boolean;
  /** Pass `false` when the server already knows sharing is off, to say so without a request. */
  enabled?: boolean;
  className?: string;
}

export function ShareButton({ host, cluster, showCluster, enabled, className }: ShareButtonProps) {
  const [state, setState] = useState<State>(enabled === false ? { type: 'off', message: 'Sharing is off on this Chainboard.' } : { type: 'idle' });
  const [ttl, setTtl] = useState<string>('7d');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  async function copy(url: string): Promise<boolean> {
    try {
      await navigator.clipboard.writeText(url);
      return true;
    } catch {
      // No clipboard permission (plain http, old browser): the link stays selected in the box instead.
      input.current?.select();
      return false;
    }
  }

  async function share() {
    setState({ type: 'busy' });
    try {
      const res = await fetch('/api/v1/share', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(cluster ? { host, cluster, ttl } : { host, ttl }),
        credentials: 'same-origin',
      });
      const body = (await res.json().catch(() => undefined)) as (ShareLink & { error?: { message?: string } }) | undefined;
      if (res.status === 403) {
        setState({ type: 'off', message: body?.error?.message ?? 'Sharing is off on this Chainboard.' });
        return;
      }
      if (!res.ok || !body?.path) {
        setState({ type: 'error', message: body?.error?.message ?? `Could not make a link (HTTP ${res.status}).` });
        return;
      }
      const url = body.url ?? new URL(body.path, window.location.origin).toString();
      setState({ type: 'done', link: body, url, copied: false });
      const copied = await copy(url);
      setState({ type: 'done', link: body, url, copied });
    } catch {
      setState({ type: 'error', message: 'Could not reach Chainboard.' });
    }
  }

  // The controls stay one compact line; the link made appears below them in a card of bounded width, so
  // neither the buttons beside it nor the line grow with it.
  return (
    <div className={`flex max-w-md flex-col items-end gap-2 ${className ?? ''}`}>
      <div className="flex flex-wrap items-center justify-end gap-2">
        <label htmlFor={`${id}-ttl`} className="text-xs text-zinc-700 dark:text-zinc-300">
          Link valid for
        </label>
        <select
          id={`${id}-ttl`}
          value={ttl}
          onChange={(e) => setTtl(e.target.value)}
          disabled={state.type === 'off' || state.type === 'busy'}
          className="rounded-md border border-zinc-300 bg-white px-1.5 py-1 text-xs dark:border-zinc-600 dark:bg-zinc-800"
        >
          {TTLS.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={share}
          disabled={state.type === 'off' || state.type === 'busy'}
          className="rounded-md bg-zinc-900 px-2.5 py-1 text-xs font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900"
        >
          {state.type === 'busy' ? 'Creating link…' : 'Share with client'}
        </button>
      </div>
      {state.type === 'done' && (
        <div className="flex w-full min-w-[18rem] flex-col gap-1.5 rounded-md border border-zinc-200 bg-white p-3 text-left dark:border-zinc-700 dark:bg-zinc-900">
          <label htmlFor={`${id}-link`} className="text-xs font-medium">
            Share link for {state.link.host}
            {showCluster ? ` in cluster ${state.link.cluster}` : ''}
          </label>
          <div className="flex items-center gap-2">
            <input
              id={`${id}-link`}
              ref={input}
              readOnly
              value={state.url}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-transparent px-2 py-1 font-mono text-xs dark:border-zinc-600"
            />
            <button
              type="button"
              onClick={async () => setState({ ...state, copied: await copy(state.url) })}
              className="shrink-0 rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium dark:border-zinc-600"
            >
              Copy
            </button>
          </div>
          <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
            {state.copied ? 'Copied. ' : ''}Anyone with this link can see a redacted status of this domain until{' '}
            {new Date(state.link.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC.
          </p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            Link id <code className="font-mono">{state.link.id}</code>: to withdraw this link sooner, add it to{' '}
            <code className="font-mono">CHAINBOARD_SHARE_REVOKED</code>.
          </p>
        </div>
      )}
      {state.type === 'off' && (
        <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
          {state.message}
        </p>
      )}
      {state.type === 'error' && (
        <p role="alert" className="text-xs text-down">
          {state.message}
        </p>
      )}
    </div>
  );
}

export default ShareButton;
