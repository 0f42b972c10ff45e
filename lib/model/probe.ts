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

export interface HostProbes {
  tls?: TlsProbeResult;
  dns?: DnsProbeResult;
}

/** Probe results by host (lower-case). */
export type ProbeResults = Record<string, HostProbes>;
