/**
 * What requests to a domain get: one row per HTTP check (path, status, who answered, latency, where a
 * redirect went), beside the TLS and DNS panels. Probing lives in lib/probe; this only shows `HttpState`.
 * A domain without checks says why it was not checked, never that it is healthy.
 */
import type { Finding, HttpState } from '../../lib/model/chain';
import { checkText, NOT_CHECKED_WHY } from '../../lib/model/check';
import { httpResultText } from '../../lib/model/http-text';
import { HealthBadge } from '../ui/health';
import { FindingGroupCards } from './findings';
import { Field } from './tls-dns-panels';

/** The HTTP checks of a domain; `findings` are its `http.*` findings. */
export function HttpDetails({ http, findings }: { http: HttpState | undefined; findings: Finding[] }) {
  const check = http?.check ?? { state: 'not-checked' as const, reasons: ['probes-off' as const] };
  return (
    <div className="space-y-3">
      <dl>
        <Field label="Health">
          <HealthBadge health={http?.health ?? 'not-checked'} size="sm" />
        </Field>
        <Field label="Checked">
          <span className={check.state === 'not-checked' ? 'font-semibold text-unchecked' : undefined}>{checkText(check, 'http')}</span>
          {check.state === 'not-checked' ? (
            <ul className="mt-1 list-disc pl-5 text-sm text-zinc-600 dark:text-zinc-400">
              {check.reasons.map((r) => (
                <li key={r}>{NOT_CHECKED_WHY[r]}</li>
              ))}
            </ul>
          ) : null}
        </Field>
      </dl>
      {http?.probes.length ? (
        <ul className="space-y-1 text-sm" aria-label="HTTP checks">
          {http.probes.map((p) => (
            <li key={`${p.route.namespace}/${p.route.ingress}${p.path}`}>
              <code className="break-all">{httpResultText(p)}</code>
              <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                Ingress {p.route.ingress} via {p.target}
                {p.status === 'error' ? `: ${p.error}` : p.bodySnippet ? `: "${p.bodySnippet}"` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {findings.length ? <FindingGroupCards findings={findings} /> : null}
    </div>
  );
}
