/**
 * Answers that must say what they are: a malformed percent-escape is a 400 (the API's JSON error, or the
 * 400 page), never a 500; a page's status is the one its notice shows, as rendered in Chromium; pages
 * answer GET and HEAD only (405 with `Allow`); a link preview of an unknown domain is a 404.
 */
import type { Page } from 'playwright-core';
import { launchChromium, saidStatus, type SaidStatus } from './browser';
import type { BatteryEnv } from './env';
import { rawRequest, shown, type RawResponse } from './http';
import { verdict, type Check, type Outcome } from './report';

/** The API's error shape with status 400. */
function isApi400(r: RawResponse): boolean {
  try {
    return r.status === 400 && (JSON.parse(r.body.toString()) as { error?: { status?: number } }).error?.status === 400;
  } catch {
    return false;
  }
}

/** Judged answers: every one seen, and those that were wrong. */
interface Judged {
  seen: string[];
  bad: string[];
}

/** The outcome of judged answers: the wrong ones when there are any, else what every answer was. */
function outcome(what: string, j: Judged): Outcome {
  return verdict(!j.bad.length, j.bad.length ? `${j.bad.length} of ${j.seen.length} wrong: ${j.bad.join(', ')}` : `${what}: ${j.seen.join(', ')}`);
}

/** Raw requests, each judged by `good`. */
async function judgeRaw(env: BatteryEnv, cases: { method?: string; target: string; good(r: RawResponse): boolean }[], j: Judged): Promise<void> {
  for (const c of cases) {
    const method = c.method ?? 'GET';
    const r = await rawRequest(env.port, { method, target: c.target, headers: env.auth }).catch((e: Error) => e);
    const line = r instanceof Error ? shown(method, c.target, `error ${r.message}`) : shown(method, c.target, r.status);
    j.seen.push(line);
    if (r instanceof Error || !c.good(r)) j.bad.push(line);
  }
}

/** Pages loaded in Chromium, each judged by its status and what its notice says. */
async function judgePages(env: BatteryEnv, signal: AbortSignal, cases: { target: string; good(status: number, said: SaidStatus): boolean }[], j: Judged): Promise<void> {
  const browser = await launchChromium(signal);
  try {
    const context = await browser.newContext({ baseURL: env.url, extraHTTPHeaders: env.auth });
    const page: Page = await context.newPage();
    for (const c of cases) {
      try {
        const res = await page.goto(c.target, { waitUntil: 'load', timeout: 20_000 });
        const status = res?.status() ?? 0;
        const said = await saidStatus(page);
        const line = `${shown('GET', c.target, status)} (page says ${said})`;
        j.seen.push(line);
        if (!c.good(status, said)) j.bad.push(line);
      } catch (e) {
        const line = shown('GET', c.target, `error ${(e as Error).message.split('\n')[0]}`);
        j.seen.push(line);
        j.bad.push(line);
      }
    }
  } finally {
    await browser.close();
  }
}

/** A page answered with `status` whose notice says the same. */
const pageIs = (status: number) => (s: number, said: SaidStatus) => s === status && said === status;

/** Malformed percent-escapes answer 400, never 500. */
export const malformedEscapesCheck: Check<BatteryEnv> = {
  name: 'malformed-percent-escapes-400',
  timeoutMs: 60_000,
  async run(env, signal) {
    const j: Judged = { seen: [], bad: [] };
    const api = ['/api/v1/domains/%FF%FE.example', '/api/v1/namespaces/%FF', '/api/v1/domains/%E0%A4%A', '/api/v1/share/abc%ZZ/badge.svg'];
    await judgeRaw(env, api.map((target) => ({ target, good: isApi400 })), j);
    await judgePages(env, signal, ['/d/%FF%FE.example', '/ns/%FF'].map((target) => ({ target, good: pageIs(400) })), j);
    return outcome('all 400 (API: JSON error 400; pages: the 400 page)', j);
  },
};

/** A page answers with the status its notice shows. */
export const pageStatusCheck: Check<BatteryEnv> = {
  name: 'page-status-matches-page',
  timeoutMs: 90_000,
  async run(env, signal) {
    const j: Judged = { seen: [], bad: [] };
    await judgePages(
      env,
      signal,
      [
        { target: '/d/..%2f..%2fetc%2fpasswd', good: pageIs(400) },
        { target: `/d/${'a'.repeat(10_240)}.example.com`, good: pageIs(400) },
        { target: '/ns/%3Cscript%3E', good: pageIs(400) },
        { target: '/d/app%00.x', good: pageIs(400) },
        // A search the API would refuse: its 400 notice with status 400, or the query ignored with 200.
        { target: `/?q=${'q'.repeat(10_240)}`, good: (s, said) => (s === 400 || s === 200) && said === s },
        { target: '/d/unknown-battery-host.example.com', good: pageIs(404) },
      ],
      j,
    );
    return outcome('status and notice agree', j);
  },
};

/** Pages refuse POST, PUT and DELETE with 405 and `Allow`; an unknown domain's link preview is a 404. */
export const pageMethodsCheck: Check<BatteryEnv> = {
  name: 'page-methods-405-unknown-preview-404',
  timeoutMs: 60_000,
  async run(env) {
    const j: Judged = { seen: [], bad: [] };
    const pages = ['/', `/ns/${env.namespaces[0]}`, `/d/${env.hosts[0]}`, '/login'];
    const allowsGet = (r: RawResponse) => r.status === 405 && /\bGET\b/.test(String(r.headers.allow ?? ''));
    await judgeRaw(
      env,
      [
        ...pages.flatMap((target) => ['POST', 'PUT', 'DELETE'].map((method) => ({ method, target, good: allowsGet }))),
        { target: '/d/unknown-battery-host.example.com/opengraph-image', good: (r) => r.status === 404 },
      ],
      j,
    );
    return outcome('405 with Allow, preview 404', j);
  },
};
