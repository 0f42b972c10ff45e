/**
 * The scenarios of cert-manager's request chain (test code only), over fixture `acme-http01-stuck`: the
 * seed chain whose certificate cert-manager manages, renewing since 09:00 (three hours before NOW) with
 * its HTTP-01 challenge answered by a 404. Each edit moves the chain to another stuck step; the healthy
 * near-miss is the same chain finished. acme.test.ts runs them; the catalogue tests check every code
 * has both.
 */
import assert from 'node:assert/strict';
import type { PodCondition } from '../../model/k8s';
import type { Snapshot } from '../../model/snapshot';
import { f, NOW, ref } from '../__fixtures__/load';
import { gap, ing, one, type Scenario, tlsNode } from '../__fixtures__/scenario';

const FIXTURE = 'acme-http01-stuck';
const CHALLENGE = 'my-app-tls-2-3171512334-1908421457';
const ORDER = 'my-app-tls-2-3171512334';
const REQUEST = 'my-app-tls-2';
const info = f('tls.managed-by-resolver', 'info', ing, tlsNode);
const challengeRef = ref('Challenge', CHALLENGE);
const orderRef = ref('Order', ORDER);
const requestRef = ref('CertificateRequest', REQUEST);
const issuerRef = { kind: 'ClusterIssuer', name: 'letsencrypt-prod' };

const cert = (s: Snapshot) => s.certificates![0]!;
const challenge = (s: Snapshot) => s.challenges![0]!;
const order = (s: Snapshot) => s.orders![0]!;
const request = (s: Snapshot) => s.certificateRequests!.find((r) => r.metadata.name === REQUEST)!;
const setCondition = (conds: PodCondition[], c: PodCondition) => {
  const i = conds.findIndex((x) => x.type === c.type);
  if (i >= 0) conds[i] = c;
  else conds.push(c);
};

/** Every step done: the challenge and order valid, the request issued, the Certificate Ready and not issuing. */
const finished = (s: Snapshot) => {
  challenge(s).status = { state: 'valid', presented: false, processing: false, reason: 'Successfully authorized domain' };
  order(s).status = { state: 'valid', url: order(s).status!.url! };
  setCondition(request(s).status!.conditions!, { type: 'Ready', status: 'True', reason: 'Issued', message: 'Certificate fetched from issuer successfully' });
  cert(s).status!.conditions = cert(s).status!.conditions!.filter((c) => c.type !== 'Issuing');
};

/** The Certificate no longer Ready and its Secret gone: nothing valid to serve. */
const nothingServed = (s: Snapshot) => {
  setCondition(cert(s).status!.conditions!, { type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuing certificate as Secret does not exist' });
  s.tlsSecrets = [];
};

const all =
  (...edits: ((s: Snapshot) => void)[]) =>
  (s: Snapshot) => {
    for (const e of edits) e(s);
  };

/** The Order errored with this reason, and its challenge gone with it. */
const orderErrored = (state: 'errored' | 'invalid', reason: string) => (s: Snapshot) => {
  order(s).status = { ...order(s).status, state, reason };
  s.challenges = [];
};

const HEALTHY = 'a finished ACME chain behind a Ready Certificate is healthy';

export const ACME_SCENARIOS: Scenario[] = [
  {
    title: HEALTHY,
    fixture: FIXTURE,
    edit: finished,
    domains: one('healthy', info),
    check: (r) => assert.equal(r.domains[0]!.tls.acme, undefined, 'a finished chain is not drawn'),
  },
  {
    title: 'a renewal stuck behind an HTTP-01 challenge answered 404 is acme.challenge-pending, a warning while the certificate in use is valid, with the self-check error and the redirect hint',
    fixture: FIXTURE,
    domains: one('degraded', f('acme.challenge-pending', 'warning', challengeRef, tlsNode), info),
    check(r) {
      const x = r.domains[0]!.findings.find((y) => y.code === 'acme.challenge-pending')!;
      assert.match(x.message, /wrong status code '404', expected '200'/);
      assert.match(x.message, /intercepts the HTTP-01 path \/\.well-known\/acme-challenge\//);
      assert.match(x.message, /redirect-to-https/);
      assert.match(x.message, /renewal is stuck/);
      assert.equal(
        x.hint,
        `kubectl -n hst-my-client describe challenge ${CHALLENGE}; curl -sv http://app.my-client.junovy.com/.well-known/acme-challenge/Yz8lQ2bV9dS6pX0rT4uW1aE3fG5hJ7kL9mN2oP4qR6s`,
      );
      // The TLS state carries the chain as steps for the diagram, stuck at the Challenge.
      const acme = r.domains[0]!.tls.acme!;
      assert.deepStrictEqual(
        acme.steps.map((s) => [s.kind, s.name, s.state, s.progress]),
        [
          ['Certificate', 'my-app-tls', 'Ready, renewal stuck', 'waiting'],
          ['CertificateRequest', REQUEST, 'Ready=False (Pending)', 'waiting'],
          ['Order', ORDER, 'pending', 'waiting'],
          ['Challenge', CHALLENGE, 'pending', 'waiting'],
        ],
      );
      assert.equal(acme.stuck, `ACME/app.my-client.junovy.com/Challenge/${CHALLENGE}`);
      assert.match(acme.steps[3]!.reason!, /wrong status code '404'/);
      assert.equal(acme.steps[3]!.detail, 'HTTP-01 app.my-client.junovy.com');
    },
  },
  {
    title: 'a renewal under way for five minutes is not judged yet: a challenge waits for propagation in every healthy issuance',
    fixture: FIXTURE,
    edit: (s) => {
      cert(s).status!.conditions!.find((c) => c.type === 'Issuing')!.lastTransitionTime = new Date(NOW.getTime() - 5 * 60_000).toISOString();
    },
    domains: one('healthy', info),
  },
  {
    title: 'the same challenge with no valid certificate to serve is a critical acme.challenge-pending, and the generic tls.certificate-not-ready gives way to it',
    fixture: FIXTURE,
    edit: nothingServed,
    domains: one('down', f('acme.challenge-pending', 'critical', challengeRef, tlsNode), info),
  },
  {
    title: 'a 308 from a redirect on the challenge path is named as a redirect, with the router.middlewares the Ingress names',
    fixture: FIXTURE,
    edit: (s) => {
      challenge(s).status!.reason = "Waiting for HTTP-01 challenge propagation: failed to perform self check GET request 'http://app.my-client.junovy.com/.well-known/acme-challenge/Yz8l': wrong status code '308', expected '200'";
      s.ingresses[0]!.metadata.annotations!['traefik.ingress.kubernetes.io/router.middlewares'] = 'traefik-redirect-to-https@kubernetescrd';
    },
    domains: one('degraded', f('acme.challenge-pending', 'warning', challengeRef, tlsNode), info),
    check(r) {
      const x = r.domains[0]!.findings[0]!;
      assert.match(x.message, / - a redirect intercepts the HTTP-01 path/);
      assert.match(x.message, /names router\.middlewares: traefik-redirect-to-https@kubernetescrd/);
    },
  },
  {
    title: 'a self-check that fails for another reason is acme.challenge-pending without the redirect hint',
    fixture: FIXTURE,
    edit: (s) => {
      challenge(s).status!.reason = 'Waiting for HTTP-01 challenge propagation: failed to perform self check GET request: dial tcp 203.0.113.10:80: connect: connection refused';
    },
    domains: one('degraded', f('acme.challenge-pending', 'warning', challengeRef, tlsNode), info),
    check: (r) => assert.doesNotMatch(r.domains[0]!.findings[0]!.message, /intercepts/),
  },
  {
    title: 'a DNS-01 record the self-check cannot see is acme.dns01-not-visible, with the dig command',
    fixture: FIXTURE,
    edit: (s) => {
      challenge(s).spec!.type = 'DNS-01';
      challenge(s).status!.reason = 'Waiting for DNS-01 challenge propagation: DNS record for "app.my-client.junovy.com" not yet propagated';
    },
    domains: one('degraded', f('acme.dns01-not-visible', 'warning', challengeRef, tlsNode), info),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.hint, /dig \+short TXT _acme-challenge\.app\.my-client\.junovy\.com$/),
  },
  {
    title: 'an order the ACME server refused with 429 rateLimited is acme.rate-limited on the Order',
    fixture: FIXTURE,
    edit: orderErrored('errored', 'Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: Error creating new order :: too many certificates (5) already issued for this exact set of domains in the last 168h0m0s'),
    domains: one('degraded', f('acme.rate-limited', 'warning', orderRef, tlsNode), info),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.hint, /^kubectl -n hst-my-client describe order my-app-tls-2-3171512334; cmctl status certificate -n hst-my-client my-app-tls$/),
  },
  {
    title: 'a rate limit named only in the request\'s Ready message (no Order was created) is acme.rate-limited on the CertificateRequest, critical when nothing valid is served',
    fixture: FIXTURE,
    edit: all(nothingServed, (s) => {
      s.orders = [];
      s.challenges = [];
      setCondition(request(s).status!.conditions!, { type: 'Ready', status: 'False', reason: 'Pending', message: 'Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many new orders recently' });
    }),
    domains: one('down', f('acme.rate-limited', 'critical', requestRef, tlsNode), info),
  },
  {
    title: 'a failed renewal of a Ready Certificate (Issuing=False, Failed) is judged too: its rate-limited order is acme.rate-limited',
    fixture: FIXTURE,
    edit: all(orderErrored('errored', 'Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates (5) already issued'), (s) => {
      setCondition(cert(s).status!.conditions!, { type: 'Issuing', status: 'False', reason: 'Failed', message: 'The certificate request has failed to complete and will be retried' });
      setCondition(request(s).status!.conditions!, { type: 'Ready', status: 'False', reason: 'Failed', message: 'Failed to wait for order resource to become ready: order is in "errored" state' });
    }),
    domains: one('degraded', f('acme.rate-limited', 'warning', orderRef, tlsNode), info),
  },
  {
    title: 'an order refused for a CAA record is acme.caa-refused alone: the order failure it causes gives way',
    fixture: FIXTURE,
    edit: orderErrored('invalid', 'Failed to finalize Order: 403 urn:ietf:params:acme:error:caa: CAA record for app.my-client.junovy.com prevents issuance'),
    domains: one('degraded', f('acme.caa-refused', 'warning', orderRef, tlsNode), info),
  },
  {
    title: 'an invalid order whose challenge the CA could not validate is acme.order-failed alone, with the challenge\'s error when the order gives none',
    fixture: FIXTURE,
    edit: (s) => {
      order(s).status = { ...order(s).status, state: 'invalid' };
      challenge(s).status = { state: 'invalid', presented: false, processing: false, reason: 'Error accepting authorization: acme: authorization error for app.my-client.junovy.com: 403 urn:ietf:params:acme:error:unauthorized: Invalid response from http://app.my-client.junovy.com/.well-known/acme-challenge/Yz8l: 404' };
    },
    domains: one('degraded', f('acme.order-failed', 'warning', orderRef, tlsNode), info),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /is invalid: Challenge my-app-tls-2-3171512334-1908421457: Error accepting authorization/),
  },
  {
    title: 'a ClusterIssuer that is not Ready is certificate.issuer-not-ready, the cause the pending challenge gives way to',
    fixture: FIXTURE,
    edit: (s) => {
      s.clusterIssuers![0]!.status = { conditions: [{ type: 'Ready', status: 'False', reason: 'ErrRegisterACMEAccount', message: 'Failed to register ACME account: 400 urn:ietf:params:acme:error:invalidContact: contact email has forbidden domain' }] };
    },
    domains: one('degraded', f('certificate.issuer-not-ready', 'warning', issuerRef, tlsNode), info),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /ClusterIssuer letsencrypt-prod \(ACME server https:\/\/acme-v02\.api\.letsencrypt\.org\/directory\) of Certificate my-app-tls is not ready: Ready=False \(ErrRegisterACMEAccount\)/),
  },
  {
    title: 'a ClusterIssuer that does not exist is certificate.issuer-not-ready',
    fixture: FIXTURE,
    edit: (s) => {
      s.clusterIssuers = [];
    },
    domains: one('degraded', f('certificate.issuer-not-ready', 'warning', issuerRef, tlsNode), info),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /names ClusterIssuer letsencrypt-prod, which does not exist/),
  },
  {
    title: 'a CertificateRequest an approver denied is certificate.request-denied',
    fixture: FIXTURE,
    edit: (s) => {
      s.orders = [];
      s.challenges = [];
      const conds = request(s).status!.conditions!;
      setCondition(conds, { type: 'Approved', status: 'False', reason: 'policy.cert-manager.io' });
      setCondition(conds, { type: 'Denied', status: 'True', reason: 'policy.cert-manager.io', message: 'No CertificateRequestPolicy approves this request' });
      setCondition(conds, { type: 'Ready', status: 'False', reason: 'Denied', message: 'The CertificateRequest was denied by an approval controller' });
    },
    domains: one('degraded', f('certificate.request-denied', 'warning', requestRef, tlsNode), info),
  },
  {
    title: 'an invalid CertificateRequest is certificate.request-failed with the issuer\'s words',
    fixture: FIXTURE,
    edit: (s) => {
      s.orders = [];
      s.challenges = [];
      const conds = request(s).status!.conditions!;
      setCondition(conds, { type: 'InvalidRequest', status: 'True', reason: 'RequestParsingError', message: 'Failed to decode CSR in spec.request: error decoding certificate request PEM block' });
      setCondition(conds, { type: 'Ready', status: 'False', reason: 'Failed', message: 'Failed to decode CSR in spec.request' });
    },
    domains: one('degraded', f('certificate.request-failed', 'warning', requestRef, tlsNode), info),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /failed: InvalidRequest=\(RequestParsingError\): Failed to decode CSR/),
  },
  {
    title: 'without the request chain read, a not-Ready Certificate is tls.certificate-not-ready that says its ACME chain was not checked',
    fixture: FIXTURE,
    edit: all(nothingServed, (s) => {
      delete s.certificateRequests;
      delete s.orders;
      delete s.challenges;
    }),
    domains: one('down', f('tls.certificate-not-ready', 'critical', ref('Certificate', 'my-app-tls'), tlsNode), info),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /its ACME chain was not checked: CertificateRequests, Orders and Challenges are not read \(or not installed\)$/),
  },
  {
    title: 'with Challenges forbidden, the trail stops at the Order, and tls.certificate-not-ready names where and why',
    fixture: FIXTURE,
    edit: all(nothingServed, gap({ reason: 'forbidden', kind: 'Challenge', message: 'challenges.acme.cert-manager.io is forbidden' })),
    domains: one('down', f('tls.certificate-not-ready', 'critical', ref('Certificate', 'my-app-tls'), tlsNode), info),
    namespace: {
      health: 'down',
      findings: [f('data.forbidden', 'info', { kind: 'Challenge', namespace: 'hst-my-client', name: '*' }, { type: 'node', id: 'Namespace/hst-my-client' })],
    },
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /Order my-app-tls-2-3171512334 is pending; Challenge not checked \(not read\)$/),
  },
  {
    title: 'a malformed Challenge is followed with what is usable, and what is wrong with it is said',
    fixture: FIXTURE,
    edit: (s) => {
      challenge(s).malformed = ['status.presented is not a boolean'];
    },
    domains: one('degraded', f('acme.challenge-pending', 'warning', challengeRef, tlsNode), info),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /\(malformed: status\.presented is not a boolean\)/),
  },
];

/** For every code of the request chain, the finished chain: healthy, without it. */
export const ACME_NEAR_MISSES: Record<string, string> = {
  'certificate.issuer-not-ready': HEALTHY,
  'certificate.request-denied': HEALTHY,
  'certificate.request-failed': HEALTHY,
  'acme.rate-limited': HEALTHY,
  'acme.caa-refused': HEALTHY,
  'acme.order-failed': HEALTHY,
  'acme.challenge-pending': 'a renewal under way for five minutes is not judged yet: a challenge waits for propagation in every healthy issuance',
  'acme.dns01-not-visible': HEALTHY,
};
