// Chainboard is installed in clients' clusters and run on their engineers' machines: no command of this
// project may let Next.js send telemetry. Next reports from `next build` and `next dev`, and it stays quiet
// only when NEXT_TELEMETRY_DISABLED is set in its environment, so every way this project starts Next must
// set it: the npm scripts, the programs they run (followed through what they import and the project files
// they name), CI and the image.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

/** A file that starts Next's command line (`next build`, `next dev`) as a child process. */
const STARTS_NEXT_CLI = /next\/dist\/bin\/next\b|\bnpx next\b/;
/** A file that puts the setting into the environment of what it starts. */
const DISABLES = /NEXT_TELEMETRY_DISABLED(?:: |=)'?1\b/;

/** The commands of a shell line, each with its leading `NAME=value` assignments and its words. */
function commands(line: string): { assignments: string[]; words: string[] }[] {
  return line.split(/&&|\|\||[;|]/).map((segment) => {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    const assignments: string[] = [];
    while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) assignments.push(words.shift()!);
    return { assignments, words };
  });
}

const runsNext = (words: string[]) => words[0] === 'next' || (words[0] === 'npx' && words[1] === 'next');
const disablesTelemetry = (assignments: string[]) => assignments.includes('NEXT_TELEMETRY_DISABLED=1');

const SOURCE = /\.(?:ts|tsx|mjs|js)$/;
const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The project files `file` imports or names as a program to run (`'bench/cluster.ts'`). */
function referencedFiles(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const base = join(dirname(file), m[1]!);
    const hit = [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`, `${base}.js`, join(base, 'index.ts')].find(isFile);
    if (hit) found.push(hit);
  }
  for (const m of text.matchAll(/['"`]((?:scripts|bench|bin|e2e|demo|lib)\/[\w./-]+\.(?:ts|mjs|js))\b/g)) {
    const path = join(ROOT, m[1]!);
    if (isFile(path)) found.push(path);
  }
  return found;
}

/**
 * The chains of files from `entry` to a file that starts Next's command line without any file on the way
 * having set the setting (a file that sets it covers everything it runs).
 */
function uncoveredNextStarts(entry: string): string[][] {
  const bad: string[][] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file) || file.includes('node_modules') || !SOURCE.test(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const here = [...chain, relative(ROOT, file)];
    if (DISABLES.test(text)) return;
    if (STARTS_NEXT_CLI.test(text)) bad.push(here);
    for (const next of referencedFiles(file, text)) visit(next, here);
  };
  visit(entry, []);
  return bad;
}

describe('Next.js telemetry', () => {
  test('every npm script that runs next itself sets NEXT_TELEMETRY_DISABLED=1 in front of it', () => {
    const running = Object.entries(pkg.scripts).filter(([, line]) => commands(line).some((c) => runsNext(c.words)));
    assert.ok(running.length >= 2, 'the build and dev scripts run next');
    for (const [name, line] of running) {
      for (const c of commands(line)) if (runsNext(c.words)) assert.ok(disablesTelemetry(c.assignments), `npm run ${name}: ${line}`);
    }
  });

  test('every npm script whose programs start next build or next dev has telemetry off on the way', () => {
    const problems: string[] = [];
    for (const [name, line] of Object.entries(pkg.scripts)) {
      for (const c of commands(line)) {
        if (disablesTelemetry(c.assignments)) continue;
        for (const word of c.words) {
          const path = join(ROOT, word);
          if (!SOURCE.test(word) || !isFile(path)) continue;
          for (const chain of uncoveredNextStarts(path)) problems.push(`npm run ${name}: ${chain.join(' -> ')}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  test('the programs that start next build or next dev turn telemetry off themselves when run directly', () => {
    for (const file of ['scripts/demo.ts', 'scripts/test-all.mjs', 'e2e/playwright.config.ts']) {
      assert.deepEqual(uncoveredNextStarts(join(ROOT, file)), [], file);
    }
  });

  test('CI exports NEXT_TELEMETRY_DISABLED=1 before it runs anything', () => {
    const ci = read('.ci/run');
    const exported = ci.search(/^export NEXT_TELEMETRY_DISABLED=1$/m);
    assert.ok(exported >= 0, '.ci/run exports NEXT_TELEMETRY_DISABLED=1');
    assert.ok(exported < ci.search(/^npm /m), 'before the first npm command');
  });

  test('every stage of the image that builds or serves Next sets NEXT_TELEMETRY_DISABLED=1', () => {
    // Continuation lines joined, so `ENV A=1 \ B=2` is one instruction.
    const stages = read('Dockerfile').replace(/\\\n\s*/g, ' ').split(/^FROM /m).slice(1);
    const serving = stages.filter((s) => /^(?:RUN|CMD)\b.*(?:\bnext\b|npm run build|chainboard-server)/m.test(s));
    assert.ok(serving.length >= 2, 'the build and runtime stages');
    for (const stage of serving) assert.match(stage, /^ENV\b.*\bNEXT_TELEMETRY_DISABLED=1\b/m, `stage ${stage.split('\n')[0]}`);
  });

  test('the README runs Next only through npm scripts or with telemetry off', () => {
    const blocks = [...read('README.md').matchAll(/^```(?:sh|bash)?\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
    for (const line of blocks.flatMap((b) => b.split('\n'))) {
      for (const c of commands(line.replace(/#.*$/, ''))) if (runsNext(c.words)) assert.ok(disablesTelemetry(c.assignments), line);
    }
  });
});
