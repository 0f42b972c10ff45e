/**
 * XSS from outside: script payloads in paths, query strings, share tokens and badge labels, over some 80
 * URLs loaded in Debian's Chromium. A payload that became markup leaves a `data-xss` element or an
 * inline handler; one that ran sets `window.__pwned` or opens a dialog; and every page must keep its
 * Content Security Policy: a fresh nonce on every server-rendered script and no `'unsafe-inline'` for
 * scripts (JSON, SVG and the like: `default-src 'none'`).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { BatteryEnv } from './env';
import { verdict, type Check } from './report';
import { createShareLink } from './share';

/** Markup, attribute and URL breakouts; each marks what it injects and records that it ran. */
export const PAYLOADS = [
  '<script data-xss>window.__pwned=1;alert(1)</script>',
  '"><img src=x data-xss onerror="window.__pwned=1;alert(1)">',
  "'><svg data-xss onload='window.__pwned=1;alert(1)'>",
  'javascript:window.__pwned=1;alert(1)//',
  '</title><b data-xss>t</b><script data-xss>window.__pwned=1</script>',
  '</script><script data-xss>window.__pwned=1;alert(1)</script>',
];

function urls(env: BatteryEnv, shareToken: string): string[] {
  const host = env.hosts[0]!;
  const ns = env.namespaces[0]!;
  const out: string[] = [];
  for (const raw of PAYLOADS) {
    const p = encodeURIComponent(raw);
    out.push(
      `/d/${p}`,
      `/ns/${p}`,
      `/${p}`,
      `/?q=${p}`,
      `/?health=${p}&offset=${p}`,
      `/d/${host}?focus=${p}`,
      `/ns/${ns}?q=${p}`,
      `/share/${p}`,
      `/share/${shareToken}?focus=${p}`,
      `/login?next=${p}`,
      `/login?error=${p}&next=${p}`,
      `/api/v1/domains/${host}/badge.svg?label=${p}`,
      `/api/v1/share/${shareToken}/badge.svg?label=${p}`,
    );
  }
  return out;
}

/** What one page showed. */
interface PageFinding {
  injected: number;
  pwned: boolean;
  violations: number;
  cspProblem?: string;
  nonce?: string;
}

/** Counts in the live DOM: marked elements, inline handlers and `javascript:` links naming the marker. */
function domCounts(): { injected: number; pwned: boolean; violations: number } {
  let injected = document.querySelectorAll('[data-xss]').length;
  for (const el of Array.from(document.querySelectorAll('*'))) {
    for (const a of Array.from(el.attributes)) {
      const handler = a.name.startsWith('on') && a.value.includes('__pwned');
      const url = /^(href|src|action|formaction|xlink:href)$/.test(a.name) && /^\s*javascript:/i.test(a.value);
      if (handler || url) injected++;
    }
  }
  const w = window as unknown as { __pwned?: unknown; __cspViolations?: unknown[] };
  return { injected, pwned: w.__pwned !== undefined, violations: w.__cspViolations?.length ?? 0 };
}

/** The CSP of a response, judged: a page needs a nonce on every server-rendered script. */
function cspProblem(contentType: string, csp: string | undefined, html: string): { problem?: string; nonce?: string } {
  if (!csp) return { problem: 'no CSP header' };
  if (!contentType.includes('text/html')) return csp.includes("default-src 'none'") ? {} : { problem: `non-page CSP without default-src 'none': ${csp}` };
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  if (!nonce || scriptSrc.includes("'unsafe-inline'")) return { problem: `script-src is "${scriptSrc}"` };
  const tags = html.match(/<script\b[^>]*>/gi) ?? [];
  const bare = tags.filter((t) => !t.includes(`nonce="${nonce}"`));
  return bare.length ? { problem: `${bare.length} script tags without the nonce: ${bare[0]}`, nonce } : { nonce };
}

async function visit(page: Page, url: string): Promise<PageFinding> {
  const res = await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
  // Client-side rendering (hydration, the first data refresh) gets a moment to inject anything it would.
  await page.waitForTimeout(300);
  const counts = await page.evaluate(domCounts);
  const headers = res ? await res.allHeaders() : {};
  const body = res ? await res.text().catch(() => '') : '';
  const csp = cspProblem(headers['content-type'] ?? '', headers['content-security-policy'], body);
  return { ...counts, cspProblem: csp.problem, nonce: csp.nonce };
}

/** Tabs loading at once: the server renders while another tab waits out its settle time. */
const TABS = 3;

/** Visits every URL over {@link TABS} tabs; each finding is returned with its URL, and dialogs are counted. */
async function visitAll(context: BrowserContext, list: readonly string[]): Promise<{ findings: [string, PageFinding][]; dialogs: number }> {
  const queue = [...list];
  const findings: [string, PageFinding][] = [];
  let dialogs = 0;
  const tab = async () => {
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const f = await visit(page, url).catch((e: Error) => ({ injected: 0, pwned: false, violations: 0, cspProblem: `load failed: ${e.message.split('\n')[0]}` }));
      findings.push([url, f]);
    }
    await page.close();
  };
  await Promise.all(Array.from({ length: TABS }, tab));
  return { findings, dialogs };
}

/** No payload becomes markup, runs or opens a dialog, and the CSP holds on every page. */
export const xssCheck: Check<BatteryEnv> = {
  name: 'xss-payloads-inert-csp-intact',
  timeoutMs: 180_000,
  async run(env, signal) {
    const token = await createShareLink(env, env.hosts[0]!);
    const list = urls(env, token);
    const browser = await launchChromium(signal);
    try {
      const context = await browser.newContext({ baseURL: env.url, extraHTTPHeaders: env.auth });
      await context.addInitScript(() => {
        const w = window as unknown as { __cspViolations: string[] };
        w.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const { findings, dialogs } = await visitAll(context, list);
      const problems: string[] = [];
      const nonces = new Set<string>();
      let injected = 0;
      let pwned = 0;
      let violations = 0;
      let pagesWithNonce = 0;
      let cspProblems = 0;
      for (const [url, f] of findings) {
        if (f.cspProblem) cspProblems++;
        injected += f.injected;
        pwned += f.pwned ? 1 : 0;
        violations += f.violations;
        if (f.nonce) {
          pagesWithNonce++;
          nonces.add(f.nonce);
        }
        if (f.injected || f.pwned || f.violations || f.cspProblem) problems.push(`${url.slice(0, 70)}: ${f.cspProblem ?? `${f.injected} injected, pwned=${f.pwned}, ${f.violations} CSP violations`}`);
      }
      const reusedNonces = pagesWithNonce - nonces.size;
      const evidence =
        `${list.length} URLs in Chromium: ${injected} injected elements, ${dialogs} dialogs, ${pwned} script executions, ${violations} CSP violations; ` +
        `${cspProblems ? `${cspProblems} responses with a CSP problem` : 'CSP intact on every response'}, ${pagesWithNonce} pages with ${nonces.size} distinct nonces` +
        (problems.length ? `; PROBLEMS: ${problems.slice(0, 5).join(' | ')}` : '');
      return verdict(!problems.length && !dialogs && reusedNonces === 0, evidence);
    } finally {
      await browser.close();
    }
  },
};
