/**
 * The redacted domain view of a share link, fed with nothing but a `SharedDomain`: whatever it renders
 * was already whitelisted by redactDomain() on the server, which names nothing of the cluster.
 * components/share/LiveSharedDomain.tsx keeps it current.
 */
import type { ReactNode } from 'react';
import type { SharedDomain, SharedFinding, SharedRoute } from '../../lib/share/redact';
import { HealthBadge, SeverityBadge } from '../ui/health';

const MANAGED_BY: Record<SharedDomain['tls']['managedBy'], string> = {
  resolver: 'managed automatically by the ingress controller (ACME)',
  'cert-manager': 'managed by cert-manager',
  secret: 'installed by hand (a TLS Secret)',
  none: 'not configured',
};

/** UTC, to the minute: the same text on every machine, whatever its time zone. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function daysBetween(fromIso: string, toIso: string): number {
  return Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000);
}

function RouteRow({ route }: { route: SharedRoute }) {
  const s = route.service;
  return (
    <li className="flex flex-col gap-1 rounded-md border border-zinc-200 p-3 dark:border-zinc-700">
      <div className="flex flex-wrap items-center gap-2">
        <HealthBadge health={route.health} size="sm" />
        <span className="font-mono text-sm">{route.isDefaultBackend ? 'default backend' : route.path}</span>
        <span aria-hidden="true">→</span>
        <span className="text-sm">{s ? 'backend service' : route.serviceMissing ? 'backend service (missing)' : 'no backend service'}</span>
      </div>
      {s && s.type !== 'ExternalName' && (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {s.endpoints.ready} of {s.endpoints.total} endpoints ready
          {s.endpoints.terminating > 0 ? `, ${s.endpoints.terminating} terminating` : ''} · {s.pods.ready} of {s.pods.total} Pods ready
        </p>
      )}
      {s?.type === 'ExternalName' && <p className="text-sm text-zinc-700 dark:text-zinc-300">Forwards to a service outside the cluster.</p>}
    </li>
  );
}

function FindingRow({ finding }: { finding: SharedFinding }) {
  return (
    <li className="flex flex-col gap-1 border-b border-zinc-200 py-3 last:border-b-0 dark:border-zinc-700">
      <div className="flex flex-wrap items-baseline gap-2">
        <SeverityBadge severity={finding.severity} />
        <span className="font-medium">{finding.title}</span>
        {finding.count > 1 && <span className="text-sm text-zinc-600 dark:text-zinc-400">×{finding.count}</span>}
        <code className="text-xs text-zinc-600 dark:text-zinc-400">{finding.code}</code>
      </div>
      {finding.message && <p className="text-sm text-zinc-700 dark:text-zinc-300">{finding.message}</p>}
    </li>
  );
}

/** One shared domain: health, chain summary, certificate, DNS and findings. */
export function SharedDomainView({ domain, expiresAt, live }: { domain: SharedDomain; expiresAt: string; live?: ReactNode }) {
  const cert = domain.tls.certificate;
  const problems = domain.findings.filter((f) => f.severity !== 'info');
  const notes = domain.findings.filter((f) => f.severity === 'info');
  return (
    <article className="flex flex-col gap-8" aria-labelledby="shared-host">
      <header className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="shared-host" className="font-mono text-2xl font-semibold break-all">
            {domain.host}
          </h1>
          <HealthBadge health={domain.health} size="lg" />
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          As of {formatUtc(domain.analyzedAt)} · this link works until {formatUtc(expiresAt)}
        </p>
        {live}
        {domain.incomplete && (
          <p role="note" className="rounded-md border border-zinc-300 p-2 text-sm dark:border-zinc-600">
            Some data could not be read, so parts of this status are unknown.
          </p>
        )}
      </header>

      <section aria-labelledby="shared-problems" className="flex flex-col gap-2">
        <h2 id="shared-problems" className="text-lg font-semibold">
          {problems.length === 0 ? 'No problems found' : `Problems (${problems.reduce((n, f) => n + f.count, 0)})`}
        </h2>
        {problems.length > 0 && (
          <ul>
            {problems.map((f) => (
              <FindingRow key={`${f.code}-${f.part}-${f.message}`} finding={f} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="shared-chain" className="flex flex-col gap-2">
        <h2 id="shared-chain" className="text-lg font-semibold">
          Request path
        </h2>
        {domain.routes.length === 0 ? (
          <p className="text-sm">No route serves this domain.</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {domain.routes.map((r, i) => (
              <RouteRow key={`${r.path}-${i}`} route={r} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="shared-tls" className="flex flex-col gap-2">
        <h2 id="shared-tls" className="text-lg font-semibold">
          Certificate and DNS
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="font-medium">HTTPS</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <HealthBadge health={domain.tls.health} size="sm" />
            {domain.tls.enabled ? `Certificate ${MANAGED_BY[domain.tls.managedBy]}` : 'Not served over HTTPS'}
          </dd>
          {cert && (
            <>
              <dt className="font-medium">Expires</dt>
              <dd>
                {formatUtc(cert.notAfter)}
                {(() => {
                  const days = daysBetween(domain.analyzedAt, cert.notAfter);
                  return days < 0 ? ' (expired)' : ` (in ${days} days)`;
                })()}
              </dd>
            </>
          )}
          <dt className="font-medium">DNS</dt>
          <dd>
            <HealthBadge health={domain.dns.health} size="sm" />
          </dd>
        </dl>
      </section>

      {notes.length > 0 && (
        <section aria-labelledby="shared-notes" className="flex flex-col gap-2">
          <h2 id="shared-notes" className="text-lg font-semibold">
            Notes
          </h2>
          <ul>
            {notes.map((f) => (
              <FindingRow key={`${f.code}-${f.part}-${f.message}`} finding={f} />
            ))}
          </ul>
        </section>
      )}

      <footer className="text-xs text-zinc-600 dark:text-zinc-400">
        A shared, read-only view of one domain. Internal details are left out: the names of workloads, Services, Secrets and namespaces,
        addresses, nodes, events and the commands engineers use.
      </footer>
    </article>
  );
}
