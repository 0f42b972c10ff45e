/**
 * Traefik's rule language, as an IngressRoute's `spec.routes[].match` writes it: which (host, path) pairs a
 * rule serves. Matchers are calls with backquoted (or double-quoted) strings, combined with `&&`, `||`,
 * `!` and parentheses. Only `Host`, `HostRegexp`, `Path` and `PathPrefix` say where a request goes; the
 * others (`Header`, `Method`, `Query`, `ClientIP`...) narrow a route without moving it, and a negated
 * term excludes requests without naming any, so both contribute no host and no path. Pure.
 * @see https://doc.traefik.io/traefik/routing/routers/#rule
 */
import { normalizeHost } from './hosts';

/** One place a rule sends requests to: the host (`*` for any) and the path, with an Ingress-like pathType. */
export interface MatchRoute {
  host: string;
  path: string;
  /** `Exact` for `Path`, `Prefix` for `PathPrefix` (and for a rule without a path: `/`), `Regexp` for `PathRegexp`. */
  pathType: 'Exact' | 'Prefix' | 'Regexp';
}

export type MatchResult =
  /**
   * `routes`: the concrete pairs, in the order the rule names them, without repeats; `hostPatterns`: the
   * `HostRegexp` patterns that name no literal host (they match no concrete domain of their own).
   */
  | { ok: true; routes: MatchRoute[]; hostPatterns: string[] }
  | { ok: false; error: string };

/** The matchers Traefik v2 and v3 know; any other name makes Traefik reject the rule. */
const KNOWN = new Set([
  'Host',
  'HostHeader',
  'HostRegexp',
  'Path',
  'PathPrefix',
  'PathRegexp',
  'Method',
  'Header',
  'HeaderRegexp',
  'Headers',
  'HeadersRegexp',
  'Query',
  'QueryRegexp',
  'ClientIP',
]);

type Token = { t: 'ident'; v: string } | { t: 'str'; v: string } | { t: 'op'; v: '&&' | '||' | '!' | '(' | ')' | ',' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '&' || c === '|') {
      if (src[i + 1] !== c) throw new Error(`'${c}' at ${i} is not '${c}${c}'`);
      out.push({ t: 'op', v: c === '&' ? '&&' : '||' });
      i += 2;
    } else if (c === '!' || c === '(' || c === ')' || c === ',') {
      out.push({ t: 'op', v: c });
      i++;
    } else if (c === '`' || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated string at ${i}`);
      // A double-quoted string takes Go's escapes; the rules that use them are rare, and a backslash kept
      // as written only affects regexps, which name no concrete host or path anyway.
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ t: 'ident', v: src.slice(i, j) });
      i = j;
    } else {
      throw new Error(`unexpected '${c}' at ${i}`);
    }
  }
  return out;
}

/** A request constraint: a literal host or a host pattern, and a path; absent parts match anything. */
interface Alt {
  host?: string;
  hostPattern?: string;
  path?: { path: string; pathType: MatchRoute['pathType'] };
}

/** The rule as a disjunction of alternatives (its disjunctive normal form over the matchers that route). */
type Dnf = Alt[];

const TRUE: Dnf = [{}];

/** An anchored regexp that spells one literal name, e.g. `^shop\.example\.com$`, as that name. */
function literalOfRegexp(re: string): string | undefined {
  const body = re.replace(/^\^/, '').replace(/\$$/, '');
  const unescaped = body.replace(/\\\./g, '.').replace(/\\-/g, '-');
  return /^[A-Za-z0-9.-]+$/.test(unescaped) ? unescaped : undefined;
}

function andPath(a: Alt['path'], b: Alt['path']): Alt['path'] | null {
  if (!a) return b;
  if (!b) return a;
  if (a.pathType === 'Regexp') return b;
  if (b.pathType === 'Regexp') return a;
  const covers = (p: NonNullable<Alt['path']>, q: NonNullable<Alt['path']>) =>
    p.pathType === 'Prefix' ? q.path.startsWith(p.path) : q.pathType === 'Exact' && q.path === p.path;
  // The narrower of two compatible paths is what both allow; incompatible paths allow nothing.
  if (covers(a, b)) return b;
  if (covers(b, a)) return a;
  return null;
}

function andAlt(a: Alt, b: Alt): Alt | null {
  const out: Alt = {};
  if (a.host !== undefined && b.host !== undefined && a.host !== b.host) return null;
  const host = a.host ?? b.host;
  if (host !== undefined) out.host = host;
  else {
    const pattern = a.hostPattern ?? b.hostPattern;
    if (pattern !== undefined) out.hostPattern = pattern;
  }
  const path = andPath(a.path, b.path);
  if (path === null) return null;
  if (path) out.path = path;
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  parse(): Dnf {
    const d = this.or();
    if (this.i < this.toks.length) throw new Error(`unexpected ${this.show(this.toks[this.i]!)}`);
    return d;
  }

  private show(t: Token): string {
    return t.t === 'str' ? `string \`${t.v}\`` : `'${t.v}'`;
  }

  private peekOp(v: string): boolean {
    const t = this.toks[this.i];
    return t?.t === 'op' && t.v === v;
  }

  private expectOp(v: string): void {
    const t = this.toks[this.i];
    if (!t) throw new Error(`expected '${v}' at the end`);
    if (t.t !== 'op' || t.v !== v) throw new Error(`expected '${v}', got ${this.show(t)}`);
    this.i++;
  }

  private or(): Dnf {
    let d = this.and();
    while (this.peekOp('||')) {
      this.i++;
      d = [...d, ...this.and()];
    }
    return d;
  }

  private and(): Dnf {
    let d = this.unary();
    while (this.peekOp('&&')) {
      this.i++;
      const r = this.unary();
      const next: Dnf = [];
      for (const a of d) for (const b of r) {
        const c = andAlt(a, b);
        if (c) next.push(c);
      }
      d = next;
    }
    return d;
  }

  private unary(): Dnf {
    if (this.peekOp('!')) {
      this.i++;
      // Parsed for its syntax; a negation excludes requests and names none, so it routes nowhere new.
      this.unary();
      return TRUE;
    }
    if (this.peekOp('(')) {
      this.i++;
      const d = this.or();
      this.expectOp(')');
      return d;
    }
    return this.call();
  }

  private call(): Dnf {
    const t = this.toks[this.i];
    if (!t) throw new Error('expected a matcher at the end');
    if (t.t !== 'ident') throw new Error(`expected a matcher, got ${this.show(t)}`);
    if (!KNOWN.has(t.v)) throw new Error(`unknown matcher ${t.v}`);
    this.i++;
    this.expectOp('(');
    const args: string[] = [];
    if (!this.peekOp(')')) {
      for (;;) {
        const a = this.toks[this.i];
        if (!a || a.t !== 'str') throw new Error(`${t.v}: expected a quoted argument${a ? `, got ${this.show(a)}` : ' at the end'}`);
        args.push(a.v);
        this.i++;
        if (!this.peekOp(',')) break;
        this.i++;
      }
    }
    this.expectOp(')');
    if (args.length === 0) throw new Error(`${t.v}() has no argument`);
    switch (t.v) {
      case 'Host':
      case 'HostHeader':
        return args.map((h) => ({ host: normalizeHost(h) }));
      case 'HostRegexp':
        return args.map((re) => {
          const lit = literalOfRegexp(re);
          return lit !== undefined ? { host: normalizeHost(lit) } : { hostPattern: re };
        });
      case 'Path':
        return args.map((p) => ({ path: { path: p, pathType: 'Exact' as const } }));
      case 'PathPrefix':
        return args.map((p) => ({ path: { path: p, pathType: 'Prefix' as const } }));
      case 'PathRegexp':
        return args.map((p) => ({ path: { path: p, pathType: 'Regexp' as const } }));
      default:
        return TRUE;
    }
  }
}

/**
 * The (host, path) pairs a Traefik rule serves. A rule that names no host serves every host (`*`); one that
 * names no path serves `/` as a prefix. An unparseable rule is an error with the reason, never a throw.
 */
export function parseMatch(rule: string): MatchResult {
  let dnf: Dnf;
  try {
    const toks = tokenize(rule);
    if (toks.length === 0) return { ok: false, error: 'the rule is empty' };
    dnf = new Parser(toks).parse();
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const routes: MatchRoute[] = [];
  const hostPatterns: string[] = [];
  const seen = new Set<string>();
  for (const alt of dnf) {
    if (alt.hostPattern !== undefined && alt.host === undefined) {
      if (!hostPatterns.includes(alt.hostPattern)) hostPatterns.push(alt.hostPattern);
      continue;
    }
    const r: MatchRoute = { host: alt.host ?? '*', path: alt.path?.path ?? '/', pathType: alt.path?.pathType ?? 'Prefix' };
    const key = `${r.host}\n${r.path}\n${r.pathType}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push(r);
  }
  return { ok: true, routes, hostPatterns };
}
