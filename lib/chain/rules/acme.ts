/**
 * Rules of cert-manager's request chain, judged per (Ingress, host) for each of its Certificates that is
 * not Ready, or whose renewal has failed or been under way for long (see `issuingStuck`): the Issuer, the latest CertificateRequest, its ACME Order and the Order's Challenges (see
 * ../steps/acme.ts). Each names the step that is stuck, with the controller's own words (a condition's
 * message, an Order's reason, a Challenge's self-check error) and the command that shows it. They run
 * in the tls list before `tls.certificate-not-ready`, which gives way to them: the stuck step is the
 * cause, "not ready" its symptom.
 *
 * Severity: a warning while the certificate in use is still valid (renewal is stuck), critical when there
 * is none to serve - the Secret (when readable) holds no valid certificate for the host, or cert-manager
 * says the Secret is missing or expired, or the Certificate's own `notAfter` has passed.
 * @see https://cert-manager.io/docs/troubleshooting/acme/
 * @see https://letsencrypt.org/docs/rate-limits/
 */
import type { Severity } from '../../model/chain';
import type { ObjectRef, SlimAcmeChallenge, SlimCertManagerCertificate } from '../../model/k8s';
import { kubectl, timeMs, type NsContext } from '../context';
import { certificateCovers } from '../hosts';
import { acmeTrail, certificateReady, condition, type AcmeTrail } from '../steps/acme';
import type { HostSubject } from './tls';
import type { Hit, Rule } from './types';

type AcmeRule = Rule<HostSubject, NsContext>;

/** One not-Ready Certificate of a host, followed through the chain. */
interface Stuck {
  trail: AcmeTrail;
  /** No valid certificate is there to serve while this one is not issued. */
  critical: boolean;
}

/** The Ready reasons with which cert-manager says the Secret holds no usable certificate. */
const NOTHING_TO_SERVE = new Set(['DoesNotExist', 'MissingData', 'Expired']);

/** Is there no valid certificate to serve for the host while this Certificate is not issued? */
export function nothingToServe(h: HostSubject, c: SlimCertManagerCertificate, ctx: NsContext): boolean {
  if (ctx.secrets !== undefined) {
    const cert = h.secret?.certificate;
    return !cert || timeMs(cert.notAfter) <= ctx.opts.nowMs || !certificateCovers(cert.sans, h.host);
  }
  if (NOTHING_TO_SERVE.has(condition(c.status?.conditions, 'Ready')?.reason ?? '')) return true;
  return timeMs(c.status?.notAfter) <= ctx.opts.nowMs;
}

/**
 * How long a renewal may be under way (Issuing=True while the Certificate is still Ready) before the
 * chain behind it is judged: a challenge's self-check reports "waiting for propagation" for the first
 * seconds of every healthy issuance, and the Order takes a minute or two end to end.
 */
export const ISSUING_STUCK_AFTER_MS = 10 * 60_000;

/**
 * Is a renewal of a Ready Certificate stuck: under way longer than {@link ISSUING_STUCK_AFTER_MS}, or
 * failed (Issuing=False with reason Failed, while cert-manager backs off before the next attempt)?
 */
export function issuingStuck(c: SlimCertManagerCertificate, nowMs: number): boolean {
  const issuing = condition(c.status?.conditions, 'Issuing');
  if (issuing?.status === 'False') return issuing.reason === 'Failed';
  if (issuing?.status !== 'True') return false;
  return nowMs - timeMs(issuing.lastTransitionTime) > ISSUING_STUCK_AFTER_MS;
}

const memo = new WeakMap<HostSubject, Stuck[]>();

/** The host's Certificates that are not Ready, each with its trail; [] when the chain is not read. */
function stuck(h: HostSubject, ctx: NsContext): Stuck[] {
  if (h.source.type === 'resolver' || h.certificates.length === 0 || !ctx.acme) return [];
  let out = memo.get(h);
  if (!out) {
    const index = ctx.acme;
    out = h.certificates.filter((c) => !certificateReady(c) || issuingStuck(c, ctx.opts.nowMs)).map((c) => ({ trail: acmeTrail(c, index), critical: nothingToServe(h, c, ctx) }));
    memo.set(h, out);
  }
  return out;
}

const severity = (s: Stuck): Severity | undefined => (s.critical ? 'critical' : undefined);
const tail = (s: Stuck) => (s.critical ? '; no valid certificate is there to serve meanwhile' : '; the certificate in use is still valid, renewal is stuck');
const ref = (kind: string, name: string, ns: string | undefined): ObjectRef => (ns ? { kind, namespace: ns, name } : { kind, name });
const certName = (s: Stuck) => s.trail.certificate.metadata.name;
const cmctl = (s: Stuck, ctx: NsContext) => `cmctl status certificate -n ${ctx.ns} ${certName(s)}`;
const quote = (t: string) => t.replace(/\s+/g, ' ').trim();
const malformed = (o: { malformed?: string[] } | undefined) => (o?.malformed?.length ? ` (malformed: ${o.malformed.join('; ')})` : '');

const requestReady = (s: Stuck) => condition(s.trail.request?.status?.conditions, 'Ready');
const requestDenied = (s: Stuck) => condition(s.trail.request?.status?.conditions, 'Denied');
const requestInvalid = (s: Stuck) => condition(s.trail.request?.status?.conditions, 'InvalidRequest');
const condText = (c: { status: string; reason?: string; message?: string }) => `${c.status === 'True' ? '' : `${c.status} `}${c.reason ? `(${c.reason})` : ''}${c.message ? `: ${quote(c.message)}` : ''}`.trim();

/** The texts of the trail, each with the object it comes from, in chain order (request, Order, Challenges). */
function texts(s: Stuck, ctx: NsContext): { text: string; object: ObjectRef; hint: string }[] {
  const out: { text: string; object: ObjectRef; hint: string }[] = [];
  const t = s.trail;
  if (t.order?.status?.reason) out.push({ text: t.order.status.reason, object: ref('Order', t.order.metadata.name, ctx.ns), hint: `${kubectl(ctx.ns)} describe order ${t.order.metadata.name}` });
  for (const ch of t.challenges) {
    if (ch.status?.reason) out.push({ text: ch.status.reason, object: ref('Challenge', ch.metadata.name, ctx.ns), hint: `${kubectl(ctx.ns)} describe challenge ${ch.metadata.name}` });
  }
  const ready = requestReady(s);
  if (t.request && ready?.status === 'False' && ready.message) {
    out.push({ text: ready.message, object: ref('CertificateRequest', t.request.metadata.name, ctx.ns), hint: `${kubectl(ctx.ns)} describe certificaterequest ${t.request.metadata.name}` });
  }
  return out;
}

/** The ACME server's "too many requests": a 429, or a `rateLimited` problem. */
const RATE_LIMITED = /rateLimited|\b429\b|too many (certificates|new orders|failed authori[sz]ations|registrations)/i;
/** A CAA record of the domain that does not allow the CA (RFC 8659), in the CA's `caa` problem or its words. */
const CAA = /\bCAA\b|acme:error:caa\b/i;

/** The step a trail stands at, in words, for `tls.certificate-not-ready` when no rule names a cause. */
export function acmeStep(c: SlimCertManagerCertificate, ctx: NsContext): string {
  if (!ctx.acme) {
    const gaps = ['CertificateRequest', 'Order', 'Challenge'].filter((k) => ctx.gapKinds.has(k));
    return gaps.length ? `its ACME chain was not checked: ${gaps.join(', ')} could not be read` : 'its ACME chain was not checked: CertificateRequests, Orders and Challenges are not read (or not installed)';
  }
  const t = acmeTrail(c, ctx.acme);
  if (!t.request) return 'no CertificateRequest exists for it yet';
  const r = requestReady({ trail: t, critical: false });
  let at = `its latest CertificateRequest ${t.request.metadata.name} is ${r ? `Ready=${condText(r)}` : 'without a Ready condition'}${malformed(t.request)}`;
  if (t.order) at += `; Order ${t.order.metadata.name} is ${t.order.status?.state ?? 'without a state'}${malformed(t.order)}`;
  for (const ch of t.challenges) at += `; Challenge ${ch.metadata.name} (${ch.spec?.type ?? 'type unknown'}) is ${ch.status?.state ?? 'without a state'}${malformed(ch)}`;
  if (t.unread.length) at += `; ${t.unread.join(' and ')} not checked (not read)`;
  return at;
}

const ISSUER_NOT_READY = 'certificate.issuer-not-ready';
const REQUEST_DENIED = 'certificate.request-denied';
const RATE_LIMITED_CODE = 'acme.rate-limited';
const CAA_REFUSED = 'acme.caa-refused';
const ORDER_FAILED = 'acme.order-failed';
const REQUEST_FAILED = 'certificate.request-failed';
const CHALLENGE_PENDING = 'acme.challenge-pending';
const DNS01_NOT_VISIBLE = 'acme.dns01-not-visible';

/** Every code of this list: `tls.certificate-not-ready` gives way to each of them. */
export const ACME_CODES: readonly string[] = [ISSUER_NOT_READY, REQUEST_DENIED, RATE_LIMITED_CODE, CAA_REFUSED, ORDER_FAILED, REQUEST_FAILED, CHALLENGE_PENDING, DNS01_NOT_VISIBLE];

const NOT_SERVING = { severity: 'critical' as const, when: 'no valid certificate for the host is there to serve meanwhile (the Secret, when readable, holds none; else cert-manager says it is missing or expired)' };

/** The HTTP status of a self-check that met something other than the solver at /.well-known/acme-challenge/. */
export function interceptedStatus(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const m = /wrong status code '(\d{3})'/i.exec(reason) ?? (/acme-challenge/i.test(reason) ? /\b(30[12378]|40[134])\b/.exec(reason) : null);
  const code = m?.[1];
  return code && (code === '404' || code === '401' || code === '403' || code.startsWith('30')) ? code : undefined;
}

function interceptHint(h: HostSubject, code: string): string {
  const mws = h.ingress.metadata.annotations?.['traefik.ingress.kubernetes.io/router.middlewares'];
  const what = code.startsWith('30') ? 'a redirect' : code === '404' ? 'a redirect or a router that does not route it to the solver' : 'an auth middleware';
  return (
    ` - ${what} intercepts the HTTP-01 path /.well-known/acme-challenge/ before cert-manager's solver answers (e.g. a Traefik redirect-to-https middleware on the web entrypoint, or a basicAuth/forwardAuth Middleware on the router)` +
    (mws ? `; Ingress ${h.ingress.metadata.name} names router.middlewares: ${mws}` : '')
  );
}

/** A challenge that is not valid and whose self-check says why. */
const isOpen = (ch: SlimAcmeChallenge) => ch.status?.state !== 'valid' && !!ch.status?.reason;

/**
 * One hit per open challenge of a type (an untyped one counts as HTTP-01, the common solver), on the
 * Challenge, with the words and the command after `describe challenge` that `say` gives for it.
 */
function openChallenges(
  h: HostSubject,
  ctx: NsContext,
  type: 'HTTP-01' | 'DNS-01',
  say: (ch: SlimAcmeChallenge, host: string) => { detail: string; hint: string },
): Hit[] {
  return stuck(h, ctx).flatMap((s) =>
    s.trail.challenges
      .filter((ch) => (type === 'DNS-01') === (ch.spec?.type === 'DNS-01') && isOpen(ch))
      .map((ch): Hit => {
        const host = ch.spec?.dnsName ?? h.host;
        const { detail, hint } = say(ch, host);
        return {
          severity: severity(s),
          message: `${h.host}: ${type} Challenge ${ch.metadata.name} for ${host} of Certificate ${certName(s)} is ${ch.status?.state ?? 'without a state'}${detail}${malformed(ch)}${tail(s)}`,
          hint: `${kubectl(ctx.ns)} describe challenge ${ch.metadata.name}; ${hint}`,
          object: ref('Challenge', ch.metadata.name, ctx.ns),
        };
      }),
  );
}

export const ACME_RULES: readonly AcmeRule[] = [
  {
    code: ISSUER_NOT_READY,
    severity: 'warning',
    family: 'certificate',
    title: 'Issuer not ready',
    description:
      "The Issuer or ClusterIssuer a not-Ready Certificate names does not exist, or its Ready condition is not True (an ACME account that could not be registered, a wrong server URL): no request can be issued until it is. Only judged when Issuers and ClusterIssuers are read, and for cert-manager's own issuer kinds.",
    alsoSeverity: NOT_SERVING,
    hint: 'kubectl describe clusterissuer NAME',
    check(h, ctx) {
      const hits: Hit[] = [];
      for (const s of stuck(h, ctx)) {
        const i = s.trail.issuer;
        if (i.state === 'not-checked') continue;
        const ns = i.kind === 'Issuer' ? ctx.ns : undefined;
        const hint = i.kind === 'Issuer' ? `${kubectl(ctx.ns)} describe issuer ${i.name}` : `kubectl describe clusterissuer ${i.name}`;
        if (i.state === 'missing') {
          hits.push({ severity: severity(s), message: `${h.host}: Certificate ${certName(s)} names ${i.kind} ${i.name}, which does not exist${tail(s)}`, hint, object: ref(i.kind, i.name, ns) });
          continue;
        }
        const ready = condition(i.issuer.status?.conditions, 'Ready');
        if (ready?.status === 'True') continue;
        const server = i.issuer.spec?.acme?.server ? ` (ACME server ${i.issuer.spec.acme.server})` : '';
        const why = ready ? `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${quote(ready.message)}` : ''}` : 'no Ready condition';
        hits.push({ severity: severity(s), message: `${h.host}: ${i.kind} ${i.name}${server} of Certificate ${certName(s)} is not ready: ${why}${tail(s)}`, hint, object: ref(i.kind, i.name, ns) });
      }
      return hits;
    },
  },
  {
    code: REQUEST_DENIED,
    severity: 'warning',
    family: 'certificate',
    title: 'CertificateRequest denied',
    description: "The latest CertificateRequest of a not-Ready Certificate was denied by an approver (Denied=True): it will never be signed. The condition's reason and message say who denied it and why.",
    alsoSeverity: NOT_SERVING,
    hint: 'kubectl -n NS describe certificaterequest NAME',
    suppressedBy: [ISSUER_NOT_READY],
    check(h, ctx) {
      return stuck(h, ctx).flatMap((s): Hit[] => {
        const d = requestDenied(s);
        if (!s.trail.request || d?.status !== 'True') return [];
        const name = s.trail.request.metadata.name;
        return [{ severity: severity(s), message: `${h.host}: CertificateRequest ${name} of Certificate ${certName(s)} was denied: ${condText(d)}${tail(s)}`, hint: `${kubectl(ctx.ns)} describe certificaterequest ${name}`, object: ref('CertificateRequest', name, ctx.ns) }];
      });
    },
  },
  {
    code: RATE_LIMITED_CODE,
    severity: 'warning',
    family: 'acme',
    title: 'ACME rate limit',
    description:
      'The ACME server refused the order with 429 / urn:ietf:params:acme:error:rateLimited (for Let\'s Encrypt: too many certificates for the same names, too many failed validations, or too many new orders). cert-manager backs off and retries; retrying sooner only extends the limit.',
    alsoSeverity: NOT_SERVING,
    hint: 'kubectl -n NS describe order NAME',
    suppressedBy: [ISSUER_NOT_READY, REQUEST_DENIED],
    check(h, ctx) {
      return stuck(h, ctx).flatMap((s): Hit[] => {
        const t = texts(s, ctx).find((x) => RATE_LIMITED.test(x.text));
        if (!t) return [];
        return [{ severity: severity(s), message: `${h.host}: the ACME server rate-limits Certificate ${certName(s)}: ${quote(t.text)}${tail(s)}`, hint: `${t.hint}; ${cmctl(s, ctx)}`, object: t.object }];
      });
    },
  },
  {
    code: CAA_REFUSED,
    severity: 'warning',
    family: 'acme',
    title: 'CAA record refuses the CA',
    description: "A CAA DNS record of the domain (or a parent) does not allow the ACME server's CA to issue for it (RFC 8659): the CA refuses the order until the record names it.",
    alsoSeverity: NOT_SERVING,
    hint: 'dig +short CAA DOMAIN',
    suppressedBy: [ISSUER_NOT_READY, REQUEST_DENIED, RATE_LIMITED_CODE],
    check(h, ctx) {
      return stuck(h, ctx).flatMap((s): Hit[] => {
        const t = texts(s, ctx).find((x) => CAA.test(x.text));
        if (!t) return [];
        return [{ severity: severity(s), message: `${h.host}: the CA refuses Certificate ${certName(s)} because of a CAA record: ${quote(t.text)}${tail(s)}`, hint: `dig +short CAA ${h.host}; ${t.hint}`, object: t.object }];
      });
    },
  },
  {
    code: ORDER_FAILED,
    severity: 'warning',
    family: 'acme',
    title: 'ACME order failed',
    description:
      "The ACME Order of the latest request is invalid, errored or expired: an authorization failed (the CA could not validate a challenge) or the order could not be created or finalized. Its reason is the CA's answer; cert-manager makes a new request after a back-off.",
    alsoSeverity: NOT_SERVING,
    hint: 'kubectl -n NS describe order NAME',
    suppressedBy: [ISSUER_NOT_READY, REQUEST_DENIED, RATE_LIMITED_CODE, CAA_REFUSED],
    check(h, ctx) {
      return stuck(h, ctx).flatMap((s): Hit[] => {
        const o = s.trail.order;
        const state = o?.status?.state;
        if (!o || (state !== 'invalid' && state !== 'errored' && state !== 'expired')) return [];
        const failed = s.trail.challenges.find((c) => c.status?.state === 'invalid' && c.status.reason);
        const why = o.status?.reason ? quote(o.status.reason) : failed?.status?.reason ? `Challenge ${failed.metadata.name}: ${quote(failed.status.reason)}` : 'no reason given';
        const url = o.status?.url ? ` (${o.status.url})` : '';
        return [{ severity: severity(s), message: `${h.host}: ACME Order ${o.metadata.name}${url} of Certificate ${certName(s)} is ${state}: ${why}${tail(s)}`, hint: `${kubectl(ctx.ns)} describe order ${o.metadata.name}`, object: ref('Order', o.metadata.name, ctx.ns) }];
      });
    },
  },
  {
    code: REQUEST_FAILED,
    severity: 'warning',
    family: 'certificate',
    title: 'CertificateRequest failed',
    description:
      "The latest CertificateRequest of a not-Ready Certificate failed (Ready=False with reason Failed, or InvalidRequest=True) for a reason no more precise code names. The condition's message is the issuer's answer.",
    alsoSeverity: NOT_SERVING,
    hint: 'kubectl -n NS describe certificaterequest NAME',
    suppressedBy: [ISSUER_NOT_READY, REQUEST_DENIED, RATE_LIMITED_CODE, CAA_REFUSED, ORDER_FAILED],
    check(h, ctx) {
      return stuck(h, ctx).flatMap((s): Hit[] => {
        const r = s.trail.request;
        if (!r) return [];
        const invalid = requestInvalid(s);
        const ready = requestReady(s);
        const failed = invalid?.status === 'True' ? invalid : ready?.status === 'False' && ready.reason === 'Failed' ? ready : undefined;
        if (!failed) return [];
        return [{ severity: severity(s), message: `${h.host}: CertificateRequest ${r.metadata.name} of Certificate ${certName(s)} failed: ${failed.type}=${condText(failed)}${malformed(r)}${tail(s)}`, hint: `${kubectl(ctx.ns)} describe certificaterequest ${r.metadata.name}`, object: ref('CertificateRequest', r.metadata.name, ctx.ns) }];
      });
    },
  },
  {
    code: CHALLENGE_PENDING,
    severity: 'warning',
    family: 'acme',
    title: 'HTTP-01 challenge not passing',
    description:
      "An HTTP-01 Challenge of the Order is not valid and cert-manager's self-check reports why (its status.reason). A 404 or a 30x at /.well-known/acme-challenge/ means something answers that path before the solver: a redirect to HTTPS or an auth middleware on the router, or a route that does not reach the solver.",
    alsoSeverity: NOT_SERVING,
    hint: 'kubectl -n NS describe challenge NAME; curl -sv http://HOST/.well-known/acme-challenge/TOKEN',
    suppressedBy: [ISSUER_NOT_READY, REQUEST_DENIED, RATE_LIMITED_CODE, CAA_REFUSED, ORDER_FAILED],
    check(h, ctx) {
      return openChallenges(h, ctx, 'HTTP-01', (ch, host) => {
        const code = interceptedStatus(ch.status?.reason);
        return {
          detail: `${ch.status?.presented === false ? ' (not presented)' : ''}: ${quote(ch.status!.reason!)}${code ? interceptHint(h, code) : ''}`,
          hint: `curl -sv http://${host}/.well-known/acme-challenge/${ch.spec?.token ?? 'TOKEN'}`,
        };
      });
    },
  },
  {
    code: DNS01_NOT_VISIBLE,
    severity: 'warning',
    family: 'acme',
    title: 'DNS-01 record not visible',
    description:
      "A DNS-01 Challenge of the Order is not valid: cert-manager's self-check does not see the _acme-challenge TXT record at the authoritative name servers yet (its status.reason), because the DNS provider did not accept it, the zone is wrong, or propagation is slow.",
    alsoSeverity: NOT_SERVING,
    hint: 'kubectl -n NS describe challenge NAME; dig +short TXT _acme-challenge.DOMAIN',
    suppressedBy: [ISSUER_NOT_READY, REQUEST_DENIED, RATE_LIMITED_CODE, CAA_REFUSED, ORDER_FAILED],
    check(h, ctx) {
      return openChallenges(h, ctx, 'DNS-01', (ch, host) => ({
        detail: `: ${quote(ch.status!.reason!)}`,
        hint: `dig +short TXT _acme-challenge.${host.replace(/^\*\./, '')}`,
      }));
    },
  },
];
