import 'server-only';
/**
 * What the share routes and pages call: make a link, open a link, draw a badge. Outcomes are data
 * (`{ ok, data } | { ok: false, status, body }` like lib/api/service.ts); the routes only turn them into
 * responses.
 */
import { parseHost } from '../api/params';
import type { ApiOutcome, ApiService } from '../api/service';
import type { ShareConfig } from '../server/config';
import type { ApiErrorBody } from '../api/types';
import { domainBadge, errorBadge } from './badge';
import { parseTtl, shareSecret } from './config';
import { reasonCode } from './http';
import { redactDomain, type SharedDomain, type SharedDomainResponse } from './redact';
import { describeRefusal, shareLinkId, signShareToken, verifyShareToken, type ShareClaims, type ShareVerification } from './token';

const fail = (status: number, reason: ApiErrorBody['error']['reason'], message: string) =>
  ({ ok: false, status, body: { error: { status, reason, message } } }) as const;

/** The answer of POST /api/v1/share. */
export interface ShareLinkResponse {
  host: string;
  /** The cluster whose chain the link shows (signed into the token). */
  cluster: string;
  token: string;
  /** The link's id: listed in CHAINBOARD_SHARE_REVOKED, it withdraws this one link. */
  id: string;
  /** `/share/{token}`: relative, so the browser puts its own origin in front. */
  path: string;
  /** Absolute when `CHAINBOARD_PUBLIC_URL` is set. */
  url?: string;
  /** The signed badge of the same host in the same cluster. */
  badgePath: string;
  expiresAt: string;
}

/** Sharing over the app's read API, with the app's share configuration. */
export interface ShareService {
  /** Is sharing on, and if not, why (for the Share button and GET /api/v1/share). */
  status(): { enabled: boolean; message?: string };
  /** `CHAINBOARD_PUBLIC_URL`, when set to an http(s) URL. */
  publicUrl(): URL | undefined;
  createShareLink(body: unknown, now: Date): Promise<ApiOutcome<ShareLinkResponse>>;
  openSharedDomain(token: string, now: Date): Promise<SharedOutcome>;
  /** GET /api/v1/share/{token}: the same redacted view as JSON, which the share page refreshes itself from. */
  readSharedDomain(token: string, now: Date): Promise<ApiOutcome<SharedDomainResponse>>;
  /** `cluster`: that cluster's chain of the host; without it, the one `getDomain` answers with. */
  domainBadgeFor(rawHost: string, label?: string | null, cluster?: string | null): Promise<Badge>;
  sharedBadgeFor(token: string, now: Date, label?: string | null): Promise<Badge>;
  /** The cluster a verified link shows (see {@link ClusterOfLink}). */
  clusterOfClaims(claims: ShareClaims): Promise<ClusterOfLink>;
}

/**
 * The cluster of a verified link: the one it names; for a link made before clusters were named, the one
 * cluster serving its host - or, when several serve it, the one public DNS points at (what the client's
 * visitors reach). `cluster: undefined` when no cluster serves the host now. `ok: false` when several
 * serve it and DNS names none of them: the link cannot say which chain it meant.
 */
export type ClusterOfLink = { ok: true; cluster?: string } | { ok: false; message: string };

export function createShareService(config: ShareConfig, api: ApiService): ShareService {
  const deps: Deps = { config, api };
  return {
    status: () => (config.settings.enabled ? { enabled: true } : { enabled: false, message: config.settings.reason }),
    publicUrl: () => config.publicUrl,
    createShareLink: (body, now) => createShareLink(deps, body, now),
    openSharedDomain: (token, now) => openSharedDomain(deps, token, now),
    readSharedDomain: (token, now) => readSharedDomain(deps, token, now),
    domainBadgeFor: (rawHost, label, cluster) => domainBadgeFor(deps, rawHost, label, cluster),
    sharedBadgeFor: (token, now, label) => sharedBadgeFor(deps, token, now, label),
    clusterOfClaims: (claims) => clusterOfClaims(deps, claims),
  };
}

interface Deps {
  config: ShareConfig;
  api: ApiService;
}

/**
 * Create a share link for a host that Chainboard serves, in one cluster. `body` is the parsed JSON request
 * body: `{ host: string, cluster?: string, ttl?: number | "7d" }`. Without `cluster`, the one cluster
 * serving the host; a host two clusters serve needs it (400), since the link shows one chain.
 */
async function createShareLink({ config, api }: Deps, body: unknown, now: Date): Promise<ApiOutcome<ShareLinkResponse>> {
  const settings = config.settings;
  if (!settings.enabled) return fail(403, 'Forbidden', settings.reason);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(400, 'BadRequest', 'the body must be a JSON object {"host": "...", "ttl": 604800}');
  const { host: rawHost, ttl: rawTtl, cluster: rawCluster } = body as { host?: unknown; ttl?: unknown; cluster?: unknown };
  if (typeof rawHost !== 'string') return fail(400, 'BadRequest', 'host is required');
  if (rawCluster !== undefined && rawCluster !== null && typeof rawCluster !== 'string') return fail(400, 'BadRequest', 'cluster must be a cluster name');
  const ttl = parseTtl(rawTtl);
  if (!ttl.ok) return fail(400, 'BadRequest', ttl.error);
  // Only hosts that exist get links: getDomain validates the name and the cluster, and answers 404 otherwise.
  const domain = await api.getDomain(rawHost, rawCluster || undefined);
  if (!domain.ok) return domain;
  const served = domain.data.servedBy;
  if (!rawCluster && served && served.length > 1) {
    return fail(400, 'BadRequest', `${domain.data.domain.host} is served by several clusters (${served.map((s) => s.cluster).join(', ')}): pass "cluster" to say which one the link shows`);
  }
  const host = domain.data.domain.host;
  const cluster = domain.data.domain.cluster;
  const expiresAt = new Date(Math.floor(now.getTime() / 1000 + ttl.value) * 1000);
  const token = signShareToken({ host, cluster, expiresAt }, settings.secret);
  const path = `/share/${token}`;
  const base = config.publicUrl;
  return {
    ok: true,
    data: {
      host,
      cluster,
      token,
      id: shareLinkId(token)!,
      path,
      ...(base ? { url: new URL(path, base).toString() } : {}),
      badgePath: `/api/v1/share/${token}/badge.svg`,
      expiresAt: expiresAt.toISOString(),
    },
  };
}

/**
 * Opening a share link: the redacted domain, or why not. `cluster` is the cluster the link shows, and
 * `severalClusters` whether this Chainboard watches more than one (only then is the cluster worth naming).
 */
export type SharedOutcome =
  | { status: 'ok'; claims: ShareClaims; cluster: string; severalClusters: boolean; domain: SharedDomain }
  | { status: 'refused'; verification: Exclude<ShareVerification, { status: 'ok' }>; message: string }
  /**
   * The link is valid, but Chainboard cannot show the domain now: gone from the cluster (404), or no
   * current data (503, e.g. while the caches sync).
   */
  | { status: 'unavailable'; claims: ShareClaims; cluster?: string; httpStatus: 404 | 409 | 503; message: string };


async function clusterOfClaims({ api }: Deps, claims: ShareClaims): Promise<ClusterOfLink> {
  if (claims.cluster !== undefined) return { ok: true, cluster: claims.cluster };
  const live = await api.getDomain(claims.host);
  if (!live.ok) return { ok: true };
  const served = live.data.servedBy;
  if (!served || served.length <= 1) return { ok: true, cluster: live.data.domain.cluster };
  const here = served.filter((s) => s.dns === 'here');
  if (here.length === 1) return { ok: true, cluster: here[0]!.cluster };
  return {
    ok: false,
    message: 'This link was made before Chainboard watched several clusters, and the domain is now served by more than one, so the link cannot say which it shows. Ask your contact for a new link.',
  };
}

/** Verify a token and load the redacted view of its one host, in its cluster. */
async function openSharedDomain(deps: Deps, token: string, now: Date): Promise<SharedOutcome> {
  const { config, api } = deps;
  const v = verifyShareToken(token, shareSecret(config.settings), now, { revoked: config.revoked });
  if (v.status !== 'ok') return { status: 'refused', verification: v, message: describeRefusal(v) };
  const which = await clusterOfClaims(deps, v.claims);
  if (!which.ok) return { status: 'unavailable', claims: v.claims, httpStatus: 409, message: which.message };
  // A cluster no longer configured answers 404 like a host no longer served.
  const domain = await api.getDomain(v.claims.host, which.cluster);
  if (!domain.ok) {
    const gone = domain.status === 404;
    const message = gone ? 'This domain is no longer served by the cluster.' : 'Chainboard has no current data for this domain right now. Try again in a minute.';
    return { status: 'unavailable', claims: v.claims, ...(which.cluster ? { cluster: which.cluster } : {}), httpStatus: gone ? 404 : 503, message };
  }
  const severalClusters = (await api.clusterNames()).length > 1;
  return { status: 'ok', claims: v.claims, cluster: domain.data.domain.cluster, severalClusters, domain: redactDomain(domain.data.domain, domain.data.analyzedAt) };
}

/**
 * The redacted view as the JSON API answers it. A refused token gets a 403 that names no domain, like
 * the page; a valid one whose domain cannot be shown now gets 404 (gone) or 503 (no current data).
 */
async function readSharedDomain(deps: Deps, token: string, now: Date): Promise<ApiOutcome<SharedDomainResponse>> {
  const shared = await openSharedDomain(deps, token, now);
  if (shared.status === 'refused') return fail(403, 'Forbidden', shared.message);
  if (shared.status === 'unavailable') return fail(shared.httpStatus, shared.httpStatus === 404 ? 'NotFound' : shared.httpStatus === 409 ? 'BadRequest' : 'NotReady', shared.message);
  return { ok: true, data: { domain: shared.domain, ...(shared.severalClusters ? { cluster: shared.cluster } : {}), expiresAt: shared.claims.expiresAt.toISOString() } };
}

/** An SVG badge and its status code. */
export interface Badge {
  status: number;
  svg: string;
}

/**
 * The badge of GET /api/v1/domains/{host}/badge.svg[?cluster=]. `label` overrides the host as the left
 * text. An unknown cluster is a 404 "not found" badge.
 */
async function domainBadgeFor({ api }: Deps, rawHost: string, label?: string | null, cluster?: string | null): Promise<Badge> {
  const outcome = await api.getDomain(rawHost, cluster || undefined);
  if (!outcome.ok) {
    // Echo the host only when it is a valid host name; never reflect arbitrary input.
    const parsed = parseHost(rawHost);
    const left = label || (parsed.ok ? parsed.value : 'chainboard');
    const message = outcome.status === 404 ? 'not found' : outcome.status === 400 ? 'invalid host' : 'not synced';
    return { status: outcome.status, svg: errorBadge(left, message) };
  }
  const d = outcome.data.domain;
  return { status: 200, svg: domainBadge({ host: d.host, health: d.health, reasonCode: reasonCode(d.findings, d.health), ...(label ? { label } : {}) }) };
}

/**
 * The badge of GET /api/v1/share/{token}/badge.svg: the same badge for the token's host, or a refusal
 * badge that names no host.
 */
async function sharedBadgeFor(deps: Deps, token: string, now: Date, label?: string | null): Promise<Badge> {
  const shared = await openSharedDomain(deps, token, now);
  if (shared.status === 'refused') {
    const status = shared.verification.status;
    const message = status === 'expired' ? 'link expired' : status === 'disabled' ? 'sharing off' : status === 'revoked' ? 'link revoked' : 'invalid link';
    return { status: 403, svg: errorBadge(label || 'chainboard', message) };
  }
  if (shared.status === 'unavailable') return { status: shared.httpStatus === 409 ? 409 : 503, svg: errorBadge(label || shared.claims.host, shared.httpStatus === 409 ? 'ambiguous link' : 'unavailable') };
  const d = shared.domain;
  return { status: 200, svg: domainBadge({ host: d.host, health: d.health, reasonCode: reasonCode(d.findings, d.health), ...(label ? { label } : {}) }) };
}
