import type { CertificateInfo } from './k8s';

/** Result of one TLS handshake with SNI = host against the address serving it. */
export type TlsProbeResult =
  | {
      status: 'ok';
      host: string;
      /** `ip:port` actually dialled. */
      target: string;
      checkedAt: string;
      /** Leaf first. */
      chain: CertificateInfo[];
      /** Did the chain verify against the trusted roots (system roots, or the configured CA bundle)? */
      trusted: boolean;
      /** The verification error when `trusted` is false, e.g. `SELF_SIGNED_CERT_IN_CHAIN`. */
      verifyError?: string;
      protocol?: string;
    }
  | {
      status: 'error';
      host: string;
      target: string;
      checkedAt: string;
      /** `refused`, `timeout`, `protocol`, `unreachable`, ... */
      errorKind: 'refused' | 'timeout' | 'protocol' | 'unreachable' | 'other';
      error: string;
    };

/** Result of resolving a host (A, AAAA, CNAME). */
export type DnsProbeResult =
  | {
      status: 'ok';
      host: string;
      checkedAt: string;
      server?: string;
      a: string[];
      aaaa: string[];
      cname: string[];
    }
  | {
      status: 'nxdomain' | 'no-records';
      host: string;
      checkedAt: string;
      server?: string;
      /**
       * `no-records` of a CNAME: the chain followed, whose last name has no address (a dangling CNAME,
       * e.g. to a deleted load balancer). Absent when the host itself has no CNAME.
       */
      cname?: string[];
    }
  | {
      status: 'error';
      host: string;
      checkedAt: string;
      server?: string;
      error: string;
    };

/** The Ingress route an HTTP check stands for: its namespace, Ingress and rule path. */
export interface HttpRouteRef {
  namespace: string;
  /** The kind of object `ingress` names: absent for an Ingress, as on the chain's route node. */
  kind?: 'IngressRoute' | 'HTTPRoute';
  ingress: string;
  /** The rule's path (`/` for a rule without paths or a default backend). */
  path: string;
}

/**
 * Who answered an HTTP check: the ingress controller itself (Traefik's own `404 page not found`, or its
 * `Bad Gateway` / `Service Unavailable` / `Gateway Timeout` pages), or the backend behind the route.
 */
export type HttpAnswerFrom = 'controller' | 'backend';

/** What the controller said when it answered itself (`internal-error`: its bare 500, see `bare`). */
export type ControllerAnswer = 'not-found' | 'bad-gateway' | 'unavailable' | 'gateway-timeout' | 'internal-error';

/** Why a redirect was not followed: it leaves the cluster's hosts, it repeats, or there were too many. */
export type RedirectStop = 'offsite' | 'loop' | 'limit' | 'insecure';

interface HttpProbeBase {
  host: string;
  /** The path requested first (the rule's path or the `chainboard.io/probe-path` annotation). */
  path: string;
  route: HttpRouteRef;
  /** `ip:port` dialled for the first request. */
  target: string;
  checkedAt: string;
  /** From the first byte sent to the last answer (or the failure), redirects included. */
  latencyMs: number;
  /** Statuses the route is expected to answer (`chainboard.io/expect-status`); absent means any 2xx/3xx/4xx but 404. */
  expectStatus?: number[];
}

/** One HTTPS request per route path, with SNI and Host set to the domain, redirects followed on cluster hosts. */
export type HttpProbeResult =
  | (HttpProbeBase & {
      status: 'ok';
      /** The status of the last answer. */
      statusCode: number;
      from: HttpAnswerFrom;
      controller?: ControllerAnswer;
      /** The URLs redirected to and followed, in order. */
      redirects: string[];
      /** The `Location` of the last answer when it is a redirect that was not followed, and why. */
      redirect?: { location: string; stop: RedirectStop };
      /**
       * A 500 that is Traefik's own bare answer (`http.Error`'s "Internal Server Error", plain text, and no
       * header an application sets): the router's service could not be resolved. Absent for any other answer.
       */
      bare?: true;
      /** The start of a text body (at most 200 characters, control characters removed), as evidence. */
      bodySnippet?: string;
      /** The body was longer than the read limit and was cut there. */
      bodyTruncated?: boolean;
    })
  | (HttpProbeBase & {
      status: 'error';
      /**
       * `unreachable`: no TCP or TLS connection (refused, no route, handshake failed); `reset`: connected
       * but hung up before answering; `timeout`: no answer in time; `other`: anything else.
       */
      errorKind: 'unreachable' | 'reset' | 'timeout' | 'other';
      error: string;
      /** The URLs redirected to and followed before the failure. */
      redirects: string[];
    });

export interface HostProbes {
  tls?: TlsProbeResult;
  dns?: DnsProbeResult;
  /** One check per route path of the host; absent when the host was not dialled. */
  http?: HttpProbeResult[];
}

/** Probe results by host (lower-case). */
export type ProbeResults = Record<string, HostProbes>;

/** Annotation of an Ingress: the path its HTTP check requests instead of each rule's path. */
export const PROBE_PATH_ANNOTATION = 'chainboard.io/probe-path';
/** Annotation of an Ingress: the statuses its routes are expected to answer, comma-separated (e.g. `401`). */
export const EXPECT_STATUS_ANNOTATION = 'chainboard.io/expect-status';

/** The statuses of an `expect-status` annotation (`401`, `200,401`); invalid entries are ignored. */
export function parseExpectStatus(v: string | undefined): number[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[1-5]\d\d$/.test(s))
    .map(Number);
}
