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
  token: string;
  /** The link's id: listed in CHAINBOARD_SHARE_REVOKED, it withdraws this one link. */
  id: string;
  /** `/share/{token}`: relative, so the browser puts its own origin in front. */
  path: string;
  /** Absolute when `CHAINBOARD_PUBLIC_URL` is set. */
  url?: string;
  /** The signed badge of the same host. */
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
  domainBadgeFor(rawHost: string, label?: string | null): Promise<Badge>;
  sharedBadgeFor(token: string, now: Date, label?: string | null): Promise<Badge>;
}

export function createShareService(config: ShareConfig, api: ApiService): ShareService {
  const deps: Deps = { config, api };
  return {
    status: () => (config.settings.enabled ? { enabled: true } : { enabled: false, message: config.settings.reason }),
    publicUrl: () => config.publicUrl,
    createShareLink: (body, now) => createShareLink(deps, body, now),
    openSharedDomain: (token, now) => openSharedDomain(deps, token, now),
    readSharedDomain: (token, now) => readSharedDomain(deps, token, now),
    domainBadgeFor: (rawHost, label) => domainBadgeFor(deps, rawHost, label),
    sharedBadgeFor: (token, now, label) => sharedBadgeFor(deps, token, now, label),
  };
}

interface Deps {
  config: ShareConfig;
  api: ApiService;
}

/**
 * Create a share link for a host that Chainboard serves. `body` is the parsed JSON request body:
 * `{ host: string, ttl?: number | "7d" }`.
 */
async function createShareLink({ config, api }: Deps, body: unknown, now: Date): Promise<ApiOutcome<ShareLinkResponse>> {
  const settings = config.settings;
  if (!settings.enabled) return fail(403, 'Forbidden', settings.reason);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(400, 'BadRequest', 'the body must be a JSON object {"host": "...", "ttl": 604800}');
  const { host: rawHost, ttl: rawTtl } = body as { host?: unknown; ttl?: unknown };
  if (typeof rawHost !== 'string') return fail(400, 'BadRequest', 'host is required');
  const ttl = parseTtl(rawTtl);
  if (!ttl.ok) return fail(400, 'BadRequest', ttl.error);
  // Only hosts that exist get links: getDomain validates the name and answers 404 otherwise.
  const domain = await api.getDomain(rawHost);
  if (!domain.ok) return domain;
  const host = domain.data.domain.host;
  const expiresAt = new Date(Math.floor(now.getTime() / 1000 + ttl.value) * 1000);
  const token = signShareToken({ host, expiresAt }, settings.secret);
  const path = `/share/${token}`;
  const base = config.publicUrl;
  return {
    ok: true,
    data: {
      host,
      token,
      id: shareLinkId(token)!,
      path,
      ...(base ? { url: new URL(path, base).toString() } : {}),
      badgePath: `/api/v1/share/${token}/badge.svg`,
      expiresAt: expiresAt.toISOString(),
    },
  };
}

/** Opening a share link: the redacted domain, or why not. */
export type SharedOutcome =
  | { status: 'ok'; claims: ShareClaims; domain: SharedDomain }
  | { status: 'refused'; verification: Exclude<ShareVerification, { status: 'ok' }>; message: string }
  /**
   * The link is valid, but Chainboard cannot show the domain now: gone from the cluster (404), or no
   * current data (503, e.g. while the caches sync).
   */
  | { status: 'unavailable'; claims: ShareClaims; httpStatus: 404 | 503; message: string };


/** Verify a token and load the redacted view of its one host. */
async function openSharedDomain({ config, api }: Deps, token: string, now: Date): Promise<SharedOutcome> {
  const v = verifyShareToken(token, shareSecret(config.settings), now, { revoked: config.revoked });
  if (v.status !== 'ok') return { status: 'refused', verification: v, message: describeRefusal(v) };
  const domain = await api.getDomain(v.claims.host);
  if (!domain.ok) {
    const gone = domain.status === 404;
    const message = gone ? 'This domain is no longer served by the cluster.' : 'Chainboard has no current data for this domain right now. Try again in a minute.';
    return { status: 'unavailable', claims: v.claims, httpStatus: gone ? 404 : 503, message };
  }
  return { status: 'ok', claims: v.claims, domain: redactDomain(domain.data.domain, domain.data.analyzedAt) };
}

/**
 * The redacted view as the JSON API answers it. A refused token gets a 403 that names no domain, like
 * the page; a valid one whose domain cannot be shown now gets 404 (gone) or 503 (no current data).
 */
async function readSharedDomain(deps: Deps, token: string, now: Date): Promise<ApiOutcome<SharedDomainResponse>> {
  const shared = await openSharedDomain(deps, token, now);
  if (shared.status === 'refused') return fail(403, 'Forbidden', shared.message);
  if (shared.status === 'unavailable') return fail(shared.httpStatus, shared.httpStatus === 404 ? 'NotFound' : 'NotReady', shared.message);
  return { ok: true, data: { domain: shared.domain, expiresAt: shared.claims.expiresAt.toISOString() } };
}

/** An SVG badge and its status code. */
export interface Badge {
  status: number;
  svg: string;
}

/** The badge of GET /api/v1/domains/{host}/badge.svg. `label` overrides the host as the left text. */
async function domainBadgeFor({ api }: Deps, rawHost: string, label?: string | null): Promise<Badge> {
  const outcome = await api.getDomain(rawHost);
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
  if (shared.status === 'unavailable') return { status: 503, svg: errorBadge(label || shared.claims.host, 'unavailable') };
  const d = shared.domain;
  return { status: 200, svg: domainBadge({ host: d.host, health: d.health, reasonCode: reasonCode(d.findings, d.health), ...(label ? { label } : {}) }) };
}
