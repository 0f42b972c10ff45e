'use client';
/**
 * What Chainboard knows about a domain's certificate and DNS record: where the certificate comes from
 * (Traefik resolver, Secret, cert-manager), the parsed certificate when one was read, and the result of
 * the TLS handshake / DNS lookup when probes ran. Probing itself lives in lib/probe; these panels only
 * show `TlsState` / `DnsState`.
 */
import type { ReactNode } from 'react';
import type { CertificateInfo } from '../../lib/model/k8s';
import type { DnsState, Finding, LinkCheck, TlsState } from '../../lib/model/chain';
import { checkText, NOT_CHECKED_WHY } from '../../lib/model/check';
import { formatUtc } from '../ui/format';
import { HealthBadge } from '../ui/health';
import { RelativeTime, useMountedClock } from '../ui/time';
import { validityAt, type Validity } from './validity';
import { FindingGroupCards } from './findings';

/** A definition list row. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8.5rem_1fr] gap-2 py-1 text-sm">
      <dt className="text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function sourceText(t: TlsState): ReactNode {
  const s = t.source;
  switch (s.type) {
    case 'resolver':
      return (
        <>
          Traefik cert resolver <strong>{s.resolver}</strong>
          {s.secretName ? (
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">
              Secret {s.secretName} is named in the Ingress but not used: Traefik keeps the certificate itself.
            </span>
          ) : null}
        </>
      );
    case 'cert-manager':
      return (
        <>
          cert-manager, issuer <strong>{s.issuer}</strong>
          {s.secretName ? <span className="block text-xs">into Secret {s.secretName}</span> : null}
        </>
      );
    case 'secret':
      return (
        <>
          Secret <strong>{s.secretName}</strong>
        </>
      );
    default:
      return 'none named';
  }
}

const TONE: Record<Validity['tone'], string> = { down: 'bg-down', degraded: 'bg-degraded', healthy: 'bg-healthy' };

/** Validity of a certificate as a bar from notBefore to notAfter with today marked, plus days left. */
function ValidityBar({ cert }: { cert: CertificateInfo }) {
  const v = validityAt(cert, useMountedClock());
  if (!v) {
    // Until the browser's clock is known: the empty track and a blank line, so nothing moves when it is.
    return (
      <div className="mt-1" aria-hidden="true">
        <div className="h-2 w-full rounded-full bg-zinc-200 dark:bg-zinc-700" />
        <p className="mt-0.5 text-xs font-medium">&nbsp;</p>
      </div>
    );
  }
  return (
    <div className="mt-1">
      <div
        role="meter"
        aria-label="Certificate lifetime used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={v.percent}
        aria-valuetext={v.text}
        className="h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
      >
        <div className={`h-full ${TONE[v.tone]}`} style={{ width: v.width }} />
      </div>
      <p className="mt-0.5 text-xs font-medium">{v.text}</p>
    </div>
  );
}

/** The public fields of a certificate. */
export function CertificateFields({ cert }: { cert: CertificateInfo }) {
  return (
    <dl>
      <Field label="Subject">{cert.subject}</Field>
      <Field label="Issuer">
        {cert.issuer}
        {cert.selfSigned ? <span className="ml-1 font-semibold text-degraded">(self-signed)</span> : null}
      </Field>
      <Field label="Names (SAN)">{cert.sans.length ? cert.sans.join(', ') : <em>none</em>}</Field>
      <Field label="Valid">
        {formatUtc(cert.notBefore)} → {formatUtc(cert.notAfter)}
        <ValidityBar cert={cert} />
      </Field>
      <Field label="Serial">
        <code className="text-xs break-all">{cert.serialNumber}</code>
      </Field>
      <Field label="SHA-256">
        <code className="text-xs break-all">{cert.fingerprint256}</code>
      </Field>
    </dl>
  );
}

/** Whether the link was verified at all, and if not, why: an unchecked link is never shown as healthy. */
function CheckField({ check, link }: { check: LinkCheck; link: 'tls' | 'dns' }) {
  return (
    <Field label="Checked">
      <span className={check.state === 'not-checked' ? 'font-semibold text-unchecked' : undefined}>{checkText(check, link)}</span>
      {check.state === 'not-checked' ? (
        <ul className="mt-1 list-disc pl-5 text-sm text-zinc-600 dark:text-zinc-400">
          {check.reasons.map((r) => (
            <li key={r}>{NOT_CHECKED_WHY[r]}</li>
          ))}
        </ul>
      ) : null}
    </Field>
  );
}

/** The TLS state of a domain. `findings` are the domain's findings about its TLS node. */
export function TlsDetails({ tls, findings }: { tls: TlsState; findings: Finding[] }) {
  const p = tls.probe;
  return (
    <div className="space-y-3">
      <dl>
        <Field label="Health">
          <HealthBadge health={tls.health} size="sm" />
        </Field>
        <CheckField check={tls.check} link="tls" />
        <Field label="On TLS">{tls.enabled ? 'yes (websecure entrypoint or tls section)' : 'no: served on plain HTTP only'}</Field>
        <Field label="Certificate from">{sourceText(tls)}</Field>
      </dl>
      {tls.secretCertificate ? (
        <div>
          <h4 className="text-sm font-semibold">Certificate in the Secret</h4>
          <CertificateFields cert={tls.secretCertificate} />
        </div>
      ) : null}
      <div>
        <h4 className="text-sm font-semibold">Served certificate (handshake)</h4>
        {!p ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Not probed: Chainboard has no handshake result for this host (see Checked above).</p>
        ) : p.status === 'ok' ? (
          <>
            <dl>
              <Field label="Checked">
                <RelativeTime at={p.checkedAt} /> against {p.target}
                {p.protocol ? `, ${p.protocol}` : ''}
              </Field>
              <Field label="Trusted">{p.trusted ? 'yes' : <span className="font-semibold text-down">no{p.verifyError ? ` (${p.verifyError})` : ''}</span>}</Field>
            </dl>
            {p.chain[0] ? <CertificateFields cert={p.chain[0]} /> : null}
          </>
        ) : (
          <dl>
            <Field label="Checked">
              <RelativeTime at={p.checkedAt} /> against {p.target}
            </Field>
            <Field label="Failed">
              <span className="font-semibold text-down">{p.errorKind}</span>: {p.error}
            </Field>
          </dl>
        )}
      </div>
      <FindingsFor findings={findings} />
    </div>
  );
}

/** The DNS state of a domain. */
export function DnsDetails({ dns, findings }: { dns: DnsState; findings: Finding[] }) {
  const p = dns.probe;
  return (
    <div className="space-y-3">
      <dl>
        <Field label="Health">
          <HealthBadge health={dns.health} size="sm" />
        </Field>
        <CheckField check={dns.check} link="dns" />
        <Field label="external-dns asks for">{dns.annotatedHostnames.length ? dns.annotatedHostnames.join(', ') : <em>no hostname annotation</em>}</Field>
        <Field label="Ingress address">{dns.loadBalancer.length ? dns.loadBalancer.join(', ') : <em>none published</em>}</Field>
      </dl>
      <div>
        <h4 className="text-sm font-semibold">Lookup</h4>
        {!p ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Not resolved: Chainboard has no lookup result for this host (see Checked above).</p>
        ) : (
          <dl>
            <Field label="Checked">
              <RelativeTime at={p.checkedAt} />
              {p.server ? ` via ${p.server}` : ''}
            </Field>
            {p.status === 'ok' ? (
              <>
                <Field label="A">{p.a.join(', ') || '-'}</Field>
                <Field label="AAAA">{p.aaaa.join(', ') || '-'}</Field>
                <Field label="CNAME">{p.cname.join(', ') || '-'}</Field>
              </>
            ) : p.status === 'error' ? (
              <Field label="Failed">
                <span className="font-semibold text-down">{p.error}</span>
              </Field>
            ) : (
              <>
                <Field label="Answer">
                  <span className="font-semibold text-down">
                    {p.status === 'nxdomain' ? 'NXDOMAIN: the name does not exist' : p.cname?.length ? 'no A/AAAA records at the end of the CNAME chain' : 'no A/AAAA/CNAME records'}
                  </span>
                </Field>
                {p.cname?.length ? <Field label="CNAME">{p.cname.join(' -> ')}</Field> : null}
              </>
            )}
          </dl>
        )}
      </div>
      <FindingsFor findings={findings} />
    </div>
  );
}

function FindingsFor({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return null;
  return <FindingGroupCards findings={findings} />;
}
