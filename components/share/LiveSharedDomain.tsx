'use client';
/**
 * The share page's content, kept current: polls the link's own read endpoint (GET /api/v1/share/{token})
 * every few seconds like the dashboard's pages, and says so when it cannot. A link that expires or is
 * withdrawn while open stops showing the domain at the next refresh.
 */
import type { ReactNode } from 'react';
import { useSharedDomain } from '../data/use-shared-domain';
import type { SharedDomainResponse } from '../../lib/share/redact';
import { RelativeTime } from '../ui/time';
import { SharedDomainView } from './SharedDomainView';

/**
 * `initial` is the server-rendered view; without it (`unavailable`: the domain had no current data, or
 * was gone, when the page was rendered) the host and why are shown until a refresh brings the view.
 * `history` (the redacted past, rendered on the server) goes with the view and ends with it on a refusal.
 */
export function LiveSharedDomain({
  token,
  initial,
  unavailable,
  history,
}: {
  token: string;
  initial?: SharedDomainResponse;
  unavailable?: { host: string; message: string };
  history?: ReactNode;
}) {
  const { data, error, isValidating, updatedAt } = useSharedDomain(token, initial);
  // A refusal (expired, withdrawn, sharing turned off) ends the view: what the link granted is over.
  if (error?.status === 403) {
    return (
      <section role="alert" className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold">This share link does not work</h1>
        <p>{error.message}</p>
      </section>
    );
  }
  const view = data ?? initial;
  if (!view) {
    return (
      <section className="flex flex-col gap-2">
        <h1 className="font-mono text-2xl font-semibold break-all">{unavailable?.host}</h1>
        <p role="status">{error?.message ?? unavailable?.message}</p>
        {history}
      </section>
    );
  }
  const live = (
    <div aria-live="polite" className="flex flex-col gap-2">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        <RelativeTime at={updatedAt} prefix="Updated " />, refreshed every few seconds
        <span aria-hidden="true" className={`ml-1 inline-block transition-opacity ${isValidating ? 'opacity-100' : 'opacity-0'}`}>
          ↻
        </span>
      </p>
      {error ? (
        <p role="status" className="rounded-md border border-degraded/50 bg-degraded/10 px-3 py-2 text-sm">
          {error.status === 0 ? 'Chainboard cannot be reached right now.' : error.message} Showing the last status received.
        </p>
      ) : null}
    </div>
  );
  return (
    <>
      <SharedDomainView domain={view.domain} expiresAt={view.expiresAt} live={live} />
      {history}
    </>
  );
}
