/**
 * Sign-in from outside: with CHAINBOARD_AUTH_TOKEN set, every protected page and API route refuses a
 * request without the token, however its path is spelled and whatever headers it forges; the public
 * routes stay public; and guessing the token through the login form is throttled.
 */
import type { BatteryEnv } from './env';
import { rawRequest, shown, statusTally, type RawRequest, type RawResponse } from './http';
import { verdict, type Check } from './report';
import { createShareLink } from './share';

/** The ways a path can be spelled that a router may read as the protected route. */
function pathTricks(path: string): string[] {
  const [first = '', ...rest] = path.slice(1).split('/');
  const tail = rest.join('/');
  const last = rest[rest.length - 1] ?? first;
  const oneEscaped = last.replace(/^./, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return [
    path,
    `${path}/`,
    `${path}//`,
    `/${first}//${tail}`,
    `//${first}/${tail}`,
    `/${first.toUpperCase()}/${tail}`,
    `/${first}/./${tail}`,
    `/${first}/x/../${tail}`,
    `/${first}/%2e/${tail}`,
    `/%${first.charCodeAt(0).toString(16)}${first.slice(1)}/${tail}`,
    `${path.slice(0, path.length - last.length)}${oneEscaped}`,
    `${path};x=1`,
    `${path}%2f`,
    `${path}?`,
    `${path}#x`,
  ].filter((p, i, all) => all.indexOf(p) === i);
}

/** Requests without the token (or with a wrong one) to every protected route. */
function protectedRequests(env: BatteryEnv): RawRequest[] {
  const host = env.hosts[0]!;
  const ns = env.namespaces[0]!;
  const api = ['/api/v1/overview', `/api/v1/namespaces/${ns}`, `/api/v1/domains/${host}`, `/api/v1/domains/${host}/badge.svg`, '/api/metrics', '/api/v1/share'];
  const pages = ['/', `/ns/${ns}`, `/d/${host}`, `/d/${host}/opengraph-image`];
  const requests: RawRequest[] = [];
  for (const p of [...api, ...pages]) for (const target of pathTricks(p)) requests.push({ target });
  for (const target of [...api, ...pages]) {
    requests.push({ method: 'HEAD', target }, { method: 'OPTIONS', target });
    for (const forged of ['middleware', 'middleware:middleware:middleware:middleware:middleware', 'proxy:proxy:proxy:proxy:proxy', 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware']) {
      requests.push({ target, headers: { 'x-middleware-subrequest': forged } });
    }
    requests.push({ target, headers: { authorization: 'Bearer not-the-token-of-this-server' } });
    requests.push({ target, headers: { cookie: 'chainboard_session=1700000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    requests.push({ target, headers: { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1', 'x-middleware-prefetch': '1', rsc: '1' } });
  }
  requests.push({ method: 'POST', target: '/api/v1/share', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ host, ttl: '1h' }) });
  requests.push({ target: `http://127.0.0.1:${env.port}/api/v1/overview` });
  return requests;
}

/** Data of the cluster in a body: a namespace or host name outside of a redirect's echo of the path. */
function leaks(env: BatteryEnv, res: RawResponse): string | undefined {
  const body = res.body.toString('latin1');
  return [...env.namespaces, ...env.hosts].find((name) => body.includes(`"${name}"`) || body.includes(`>${name}<`) || body.includes(`${name}: `));
}

/** A refusal: an error or redirect status, and no cluster data in the body. */
function refused(env: BatteryEnv, res: RawResponse): boolean {
  return (res.status >= 300 || res.status === 204) && leaks(env, res) === undefined;
}

/** Every protected route refuses without the token, however the request is dressed up. */
export const authProtectedCheck: Check<BatteryEnv> = {
  name: 'auth-protected-routes-refuse-without-token',
  timeoutMs: 120_000,
  async run(env) {
    const requests = protectedRequests(env);
    const statuses: (number | string)[] = [];
    const served: string[] = [];
    for (const req of requests) {
      const method = req.method ?? 'GET';
      try {
        const res = await rawRequest(env.port, req);
        statuses.push(res.status);
        if (!refused(env, res)) served.push(`${shown(method, req.target, res.status)}${leaks(env, res) ? ` with "${leaks(env, res)}"` : ''}`);
      } catch (e) {
        statuses.push('error');
        served.push(`${shown(method, req.target, 'error')}: ${(e as Error).message}`);
      }
    }
    const evidence = `${requests.length} requests without the token (path spellings, HEAD/OPTIONS, forged x-middleware-subrequest, wrong bearer/cookie): ${
      served.length ? `${served.length} NOT refused: ${served.slice(0, 8).join(', ')}` : '0 answered with data'
    } (${statusTally(statuses)})`;
    return verdict(served.length === 0, evidence);
  },
};

/** The probes, a signed share page and its badge, and the login page answer without the token. */
export const authPublicCheck: Check<BatteryEnv> = {
  name: 'auth-public-routes-stay-public',
  timeoutMs: 30_000,
  async run(env) {
    const token = await createShareLink(env, env.hosts[0]!);
    const targets = ['/api/healthz', '/api/readyz', `/share/${token}`, `/api/v1/share/${token}/badge.svg`, '/login'];
    const seen: string[] = [];
    let good = 0;
    for (const target of targets) {
      const res = await rawRequest(env.port, { target });
      seen.push(shown('GET', target.replace(token, '<token>'), res.status));
      if (res.status === 200) good++;
    }
    return verdict(good === targets.length, seen.join(', '));
  },
};

const ATTEMPTS = 200;
/** How many failed sign-ins may pass before throttling starts: "the first few". */
const FIRST_FEW = 20;

/** 200 wrong sign-ins from one client are throttled after the first few. */
export const loginThrottleCheck: Check<BatteryEnv> = {
  name: 'login-wrong-token-throttled',
  timeoutMs: 90_000,
  async run(env) {
    let firstThrottled = -1;
    let throttled = 0;
    let withRetryAfter = 0;
    const statuses: number[] = [];
    for (let i = 1; i <= ATTEMPTS; i++) {
      const res = await rawRequest(env.port, {
        method: 'POST',
        target: '/api/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.7' },
        body: `token=wrong-guess-${i}&next=%2F`,
      });
      statuses.push(res.status);
      const location = String(res.headers.location ?? '');
      const isThrottled = res.status === 429 || (res.status === 303 && /[?&]error=throttled\b/.test(location));
      if (!isThrottled) continue;
      throttled++;
      if (res.headers['retry-after'] !== undefined) withRetryAfter++;
      if (firstThrottled < 0) firstThrottled = i;
    }
    const evidence =
      firstThrottled < 0
        ? `${ATTEMPTS} wrong sign-ins, none throttled (${statusTally(statuses)})`
        : `${ATTEMPTS} wrong sign-ins: first throttled at attempt ${firstThrottled}, ${throttled} throttled, ${withRetryAfter} with Retry-After (${statusTally(statuses)})`;
    const passed = firstThrottled > 0 && firstThrottled <= FIRST_FEW && throttled === ATTEMPTS - firstThrottled + 1 && withRetryAfter === throttled;
    return verdict(passed, evidence);
  },
};
