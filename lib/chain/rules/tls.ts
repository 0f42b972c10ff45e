/**
 * TLS rules. From the objects: where the certificate of a host comes from (a Traefik cert resolver,
 * cert-manager, or a Secret), and what a readable Secret holds. From probe results: what the domain
 * actually serves, which is the truth when a resolver keeps the certificate out of any Secret.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
 * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-ingress/
 */
import type { TlsSource } from '../../model/chain';
import type { CertificateInfo, IngressTLS, SlimCertManagerCertificate, SlimIngress, SlimTlsSecret } from '../../model/k8s';
import type { TlsProbeResult } from '../../model/probe';
import { kubectl, timeMs, type NsContext } from '../context';
import { certificateCovers, isConcreteHost } from '../hosts';
import type { ResolvedOptions } from '../options';
import { ACME_CODES, ACME_RULES, acmeStep } from './acme';
import type { Rule } from './types';

/** One Ingress serving one host: what TLS it asks for (built by `hostSubject` in steps/tls-dns.ts). */
export interface HostSubject {
  ingress: SlimIngress;
  host: string;
  /** Is the host served on a TLS entrypoint by this Ingress? */
  tlsEnabled: boolean;
  /** Why it is, for messages (`router.entrypoints: websecure`, ...). */
  tlsReasons: string[];
  /** The first `spec.tls` entry covering the host (an entry without hosts covers all). */
  tlsEntry?: IngressTLS;
  source: TlsSource;
  /** The Secret the TLS entry names, when Secrets are readable and it exists. */
  secret?: SlimTlsSecret;
  /** cert-manager Certificates writing that Secret, when readable. */
  certificates: SlimCertManagerCertificate[];
}

export interface Validity {
  expired: boolean;
  notYetValid: boolean;
  expiring: boolean;
  /** Whole days left (negative when expired). */
  daysLeft: number;
  lifetimeDays: number;
}

const DAY = 86_400_000;

/**
 * Judge a certificate's validity at `now`. Expiring means less than `expiringFraction` of its own
 * lifetime is left (so 90-day and 6-day certificates are both judged right), or fewer than
 * `expiringMinDays` days when that is set.
 */
export function validity(cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'>, opts: ResolvedOptions, atMs = opts.nowMs): Validity {
  const from = timeMs(cert.notBefore);
  const to = timeMs(cert.notAfter);
  const left = to - atMs;
  const lifetime = to - from;
  const expired = left <= 0;
  const expiring =
    !expired && (left < lifetime * opts.expiringFraction || (opts.expiringMinDays !== undefined && left < opts.expiringMinDays * DAY));
  return { expired, notYetValid: atMs < from, expiring, daysLeft: Math.floor(left / DAY), lifetimeDays: Math.round(lifetime / DAY) };
}

type HostRule = Rule<HostSubject, NsContext>;

const secretChecked = (h: HostSubject) => h.source.type === 'secret' || h.source.type === 'cert-manager';
const secretRef = (h: HostSubject, ctx: NsContext) => ({ kind: 'Secret', namespace: ctx.ns, name: h.source.type !== 'none' ? (h.source.secretName ?? '') : '' });
const secretHint = (h: HostSubject, ctx: NsContext) => `${kubectl(ctx.ns)} get secret ${secretRef(h, ctx).name} -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -noout -subject -dates -ext subjectAltName`;
const servedHint = (host: string, target = `${host}:443`) =>
  `openssl s_client -connect ${target} -servername ${host} </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -dates -ext subjectAltName`;
const secretCert = (h: HostSubject) => (secretChecked(h) ? h.secret?.certificate : undefined);
const names = (sans: string[]) => (sans.length ? sans.join(', ') : 'none');

/** TLS rules judged per (Ingress, host), from the objects. */
export const TLS_OBJECT_RULES: readonly HostRule[] = [
  {
    code: 'tls.managed-by-resolver',
    severity: 'info',
    family: 'tls',
    title: 'Certificate managed by a resolver',
    description:
      'A Traefik cert resolver (router.tls.certresolver) or cert-manager (cert-manager.io/cluster-issuer, cert-manager.io/issuer, kubernetes.io/tls-acme) manages the certificate. With a Traefik resolver the Secret named in spec.tls usually does not exist, and that is expected: what the domain serves is the truth.',
    hint: 'openssl s_client -connect HOST:443 -servername HOST',
    check(h, ctx) {
      if (h.host === '*') return;
      const s = h.source;
      if (s.type === 'resolver') {
        const secret = s.secretName ? `; Secret ${s.secretName} is not used` : '';
        // A wildcard host cannot be dialled as such: then the Ingress is the evidence.
        const hint = isConcreteHost(h.host) ? servedHint(h.host) : `${kubectl(ctx.ns)} describe ingress ${h.ingress.metadata.name}`;
        return { message: `The certificate of ${h.host} is managed by Traefik cert resolver ${s.resolver}${secret}`, hint };
      }
      if (s.type === 'cert-manager') {
        const into = s.secretName ? ` into Secret ${s.secretName}` : '';
        return { message: `The certificate of ${h.host} is managed by cert-manager (${s.issuer})${into}`, hint: `${kubectl(ctx.ns)} get certificates -o wide` };
      }
    },
  },
  {
    code: 'tls.secret-missing',
    severity: 'critical',
    family: 'tls',
    title: 'TLS Secret missing',
    description:
      'spec.tls names a Secret that does not exist, and no cert resolver or cert-manager manages the certificate: the controller serves its default certificate. Only reported when Secrets are readable.',
    hint: 'kubectl -n NS get secret SECRET',
    check(h, ctx) {
      if (h.source.type !== 'secret' || !ctx.secrets || h.secret) return;
      return {
        message: `${h.host}: Secret ${h.source.secretName} named in spec.tls of Ingress ${h.ingress.metadata.name} does not exist, and no cert resolver or cert-manager manages the certificate`,
        hint: `${kubectl(ctx.ns)} get secret ${h.source.secretName}`,
        object: secretRef(h, ctx),
      };
    },
  },
  {
    code: 'tls.secret-invalid',
    severity: 'critical',
    family: 'tls',
    title: 'TLS Secret unusable',
    description: 'The TLS Secret exists but tls.crt is empty or does not parse as a PEM certificate: the controller cannot serve it.',
    hint: 'kubectl -n NS get secret SECRET -o yaml',
    check(h, ctx) {
      if (!secretChecked(h) || !h.secret || h.secret.certificate) return;
      return {
        message: `${h.host}: Secret ${h.secret.metadata.name} holds no usable certificate (${h.secret.parseError ?? 'tls.crt missing'})`,
        hint: `${kubectl(ctx.ns)} get secret ${h.secret.metadata.name} -o yaml`,
        object: secretRef(h, ctx),
      };
    },
  },
  {
    code: 'tls.secret-cert-expired',
    severity: 'critical',
    family: 'tls',
    title: 'Certificate in Secret expired',
    description: 'The certificate in the TLS Secret (a plain Secret, or one cert-manager writes) has expired.',
    hint: "kubectl -n NS get secret SECRET -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -noout -dates",
    check(h, ctx) {
      const cert = secretCert(h);
      if (!cert || !validity(cert, ctx.opts).expired) return;
      return {
        message: `${h.host}: the certificate in Secret ${secretRef(h, ctx).name} expired at ${cert.notAfter}`,
        hint: secretHint(h, ctx),
        object: secretRef(h, ctx),
      };
    },
  },
  {
    code: 'tls.secret-host-mismatch',
    severity: 'critical',
    family: 'tls',
    title: 'Certificate in Secret does not cover the host',
    description: 'The names (subjectAltName) of the certificate in the TLS Secret do not cover the host (RFC 6125 wildcard rules).',
    hint: "kubectl -n NS get secret SECRET -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -noout -ext subjectAltName",
    check(h, ctx) {
      const cert = secretCert(h);
      if (!cert || certificateCovers(cert.sans, h.host)) return;
      return {
        message: `${h.host} is not among the names of the certificate in Secret ${secretRef(h, ctx).name} (${names(cert.sans)})`,
        hint: secretHint(h, ctx),
        object: secretRef(h, ctx),
      };
    },
  },
  {
    code: 'tls.secret-cert-expiring',
    severity: 'warning',
    family: 'tls',
    title: 'Certificate in Secret expiring',
    description: 'Less than a third (configurable) of the lifetime of the certificate in the TLS Secret is left.',
    hint: "kubectl -n NS get secret SECRET -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -noout -dates",
    suppressedBy: ['tls.secret-cert-expired'],
    check(h, ctx) {
      const cert = secretCert(h);
      if (!cert) return;
      const v = validity(cert, ctx.opts);
      if (!v.expiring) return;
      return {
        message: `${h.host}: the certificate in Secret ${secretRef(h, ctx).name} expires at ${cert.notAfter} (${v.daysLeft} of ${v.lifetimeDays} days left)`,
        hint: secretHint(h, ctx),
        object: secretRef(h, ctx),
      };
    },
  },
  // cert-manager's request chain: each names the step a not-Ready Certificate is stuck at.
  ...ACME_RULES,
  {
    code: 'tls.certificate-not-ready',
    severity: 'warning',
    family: 'tls',
    title: 'cert-manager Certificate not ready',
    description:
      "The cert-manager Certificate writing the host's TLS Secret is not Ready; the condition's message says why. Renewal is failing while a valid certificate may still be served.",
    alsoSeverity: {
      severity: 'critical',
      when: 'Secrets are readable and hold no valid certificate for the host (missing, unusable, expired or for other names)',
    },
    hint: 'kubectl -n NS describe certificate CERTIFICATE',
    // A stuck step of the request chain is the cause; "not ready" is its symptom.
    suppressedBy: ACME_CODES,
    check(h, ctx) {
      if (h.source.type === 'resolver' || h.certificates.length === 0) return;
      const hits = [];
      for (const c of h.certificates) {
        const ready = c.status?.conditions?.find((x) => x.type === 'Ready');
        if (ready?.status === 'True') continue;
        const cert = h.secret?.certificate;
        const noValid = ctx.secrets !== undefined && (!cert || validity(cert, ctx.opts).expired || !certificateCovers(cert.sans, h.host));
        const why = ready ? `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${ready.message}` : ''}` : 'no Ready condition';
        hits.push({
          severity: noValid ? ('critical' as const) : undefined,
          message: `${h.host}: cert-manager Certificate ${c.metadata.name} (Secret ${c.spec?.secretName}) is not ready: ${why}${noValid ? '; no valid certificate is in the Secret' : ''}; ${acmeStep(c, ctx)}`,
          hint: `${kubectl(ctx.ns)} describe certificate ${c.metadata.name}`,
          object: { kind: 'Certificate', namespace: ctx.ns, name: c.metadata.name },
        });
      }
      return hits;
    },
  },
];

/** A domain's TLS probe result. */
export interface TlsProbeSubject {
  host: string;
  probe: TlsProbeResult;
}

type ProbeRule = Rule<TlsProbeSubject, NsContext>;

const DEFAULT_CERT_CN = /(^|[,/\s])CN\s*=\s*TRAEFIK DEFAULT CERT(\s*($|[,/]))/i;
/** Is this Traefik's self-signed fallback certificate? */
export const isTraefikDefaultCert = (c: CertificateInfo) => DEFAULT_CERT_CN.test(c.subject) || DEFAULT_CERT_CN.test(c.issuer);
const leafOf = (s: TlsProbeSubject) => (s.probe.status === 'ok' ? s.probe.chain[0] : undefined);
const probeHint = (s: TlsProbeSubject) => servedHint(s.host, s.probe.target || undefined);
/**
 * A served certificate is judged no earlier than the moment it was served: a dump analysed as of when it
 * was taken is probed now, and a certificate valid then may have expired since.
 */
const servedValidity = (leaf: CertificateInfo, s: TlsProbeSubject, ctx: NsContext) => {
  const at = Date.parse(s.probe.checkedAt);
  return validity(leaf, ctx.opts, Number.isNaN(at) ? ctx.opts.nowMs : Math.max(ctx.opts.nowMs, at));
};
const servedExpired = (s: TlsProbeSubject, ctx: NsContext) => {
  const leaf = leafOf(s);
  return leaf !== undefined && servedValidity(leaf, s, ctx).expired;
};
const servedNotYetValid = (s: TlsProbeSubject, ctx: NsContext) => {
  const leaf = leafOf(s);
  return leaf !== undefined && servedValidity(leaf, s, ctx).notYetValid;
};
const servedForOtherNames = (s: TlsProbeSubject) => {
  const leaf = leafOf(s);
  return leaf !== undefined && !certificateCovers(leaf.sans, s.host);
};
/**
 * Verification errors that the expiry and name rules report more precisely, each with the condition of
 * the rule that reports it (those rules give way only to `tls.default-certificate`, as `tls.untrusted`
 * does): when the condition holds, the error is explained and `tls.untrusted` stays silent. An error the
 * leaf does not explain (an expired intermediate) is still reported.
 */
const EXPLAINED_VERIFY_ERRORS: Record<string, (s: TlsProbeSubject, ctx: NsContext) => boolean> = {
  CERT_HAS_EXPIRED: servedExpired,
  CERT_NOT_YET_VALID: servedNotYetValid,
  ERR_TLS_CERT_ALTNAME_INVALID: servedForOtherNames,
};

/** TLS rules judged from what the domain serves (a probe result, leaf certificate first). */
export const TLS_PROBE_RULES: readonly ProbeRule[] = [
  {
    code: 'tls.handshake-failed',
    severity: 'critical',
    family: 'tls',
    title: 'TLS handshake failed',
    description: 'The TLS handshake with the host (SNI) at the address serving it failed: refused, timed out, or a protocol error.',
    hint: 'openssl s_client -connect ADDRESS:443 -servername HOST',
    check(s) {
      const p = s.probe;
      if (p.status === 'error') {
        return { message: `TLS handshake with ${s.host} at ${p.target} failed (${p.errorKind}): ${p.error}`, hint: probeHint(s) };
      }
      if (p.chain.length === 0) return { message: `TLS handshake with ${s.host} at ${p.target} returned no certificate`, hint: probeHint(s) };
    },
  },
  {
    code: 'tls.default-certificate',
    severity: 'critical',
    family: 'tls',
    title: "Traefik's default certificate served",
    description:
      'The host serves Traefik\'s self-signed "TRAEFIK DEFAULT CERT": Traefik has no certificate for it, usually because the ACME resolver failed for this host (look at the Traefik logs).',
    hint: 'openssl s_client -connect ADDRESS:443 -servername HOST',
    check(s) {
      const leaf = leafOf(s);
      if (!leaf || !isTraefikDefaultCert(leaf)) return;
      return {
        message: `${s.host} serves Traefik's self-signed default certificate (${leaf.subject}): the cert resolver has no certificate for this host; look for ACME errors in the Traefik logs`,
        hint: probeHint(s),
      };
    },
  },
  {
    code: 'tls.cert-expired',
    severity: 'critical',
    family: 'tls',
    title: 'Served certificate expired',
    description: 'The certificate the host serves has expired.',
    hint: 'openssl s_client -connect ADDRESS:443 -servername HOST | openssl x509 -noout -dates',
    suppressedBy: ['tls.default-certificate'],
    check(s, ctx) {
      const leaf = leafOf(s);
      if (!leaf || !servedExpired(s, ctx)) return;
      return { message: `${s.host} serves a certificate that expired at ${leaf.notAfter} (issuer ${leaf.issuer})`, hint: probeHint(s) };
    },
  },
  {
    code: 'tls.cert-not-yet-valid',
    severity: 'critical',
    family: 'tls',
    title: 'Served certificate not yet valid',
    description: 'The certificate the host serves is valid only from a later time (notBefore), or the clock is wrong.',
    hint: 'openssl s_client -connect ADDRESS:443 -servername HOST | openssl x509 -noout -dates',
    suppressedBy: ['tls.default-certificate'],
    check(s, ctx) {
      const leaf = leafOf(s);
      if (!leaf || !servedNotYetValid(s, ctx)) return;
      return { message: `${s.host} serves a certificate valid only from ${leaf.notBefore}`, hint: probeHint(s) };
    },
  },
  {
    code: 'tls.cert-expiring',
    severity: 'warning',
    family: 'tls',
    title: 'Served certificate expiring',
    description:
      'Less than a third (configurable) of the served certificate\'s own lifetime is left, so 90-day and short-lived certificates are both judged right: renewal is late.',
    hint: 'openssl s_client -connect ADDRESS:443 -servername HOST | openssl x509 -noout -dates',
    suppressedBy: ['tls.default-certificate', 'tls.cert-expired', 'tls.cert-not-yet-valid'],
    check(s, ctx) {
      const leaf = leafOf(s);
      if (!leaf) return;
      const v = servedValidity(leaf, s, ctx);
      if (!v.expiring) return;
      return {
        message: `${s.host} serves a certificate expiring at ${leaf.notAfter}: ${v.daysLeft} of ${v.lifetimeDays} days left`,
        hint: probeHint(s),
      };
    },
  },
  {
    code: 'tls.host-mismatch',
    severity: 'critical',
    family: 'tls',
    title: 'Served certificate for other names',
    description: 'The names (subjectAltName) of the served certificate do not cover the host, by the RFC 6125 rules: `*` only as the whole left-most label, matching exactly one label.',
    hint: 'openssl s_client -connect ADDRESS:443 -servername HOST | openssl x509 -noout -ext subjectAltName',
    suppressedBy: ['tls.default-certificate'],
    check(s) {
      const leaf = leafOf(s);
      if (!leaf || !servedForOtherNames(s)) return;
      return { message: `${s.host} is not among the names of the served certificate (${names(leaf.sans)})`, hint: probeHint(s) };
    },
  },
  {
    code: 'tls.untrusted',
    severity: 'critical',
    family: 'tls',
    title: 'Served certificate not trusted',
    description:
      'The served chain does not verify against the trusted roots: a staging or private issuer, a self-signed certificate, or a missing intermediate.',
    hint: 'openssl s_client -connect ADDRESS:443 -servername HOST -showcerts',
    suppressedBy: ['tls.default-certificate'],
    check(s, ctx) {
      const p = s.probe;
      if (p.status !== 'ok' || p.trusted || p.chain.length === 0) return;
      const explained = p.verifyError ? EXPLAINED_VERIFY_ERRORS[p.verifyError] : undefined;
      if (explained?.(s, ctx)) return;
      const leaf = p.chain[0]!;
      return {
        message: `${s.host} serves a certificate that does not verify (${p.verifyError ?? 'untrusted'}); issuer ${leaf.issuer}`,
        hint: `openssl s_client -connect ${p.target} -servername ${s.host} -showcerts </dev/null`,
      };
    },
  },
];
