#!/usr/bin/env node
// `npm test`: every suite, in order, each streamed as it runs, then one closing line with the totals.
//   unit         node:test over lib/, demo/, components/, deploy/, scripts/, charts/, bench/ (fast, no cluster)
//   cluster      node:test against a real kube-apiserver + controllers, and the Helm chart and alert rules
//                with helm and promtool (binaries built once, cached)
//   e2e          Playwright in Debian's Chromium against the demo cluster
//   battery      the outside-in attack battery (scripts/battery) against its own demo cluster and server
//   bench-smoke  the cluster-scale benchmark in --small mode (prints its table; fails only on errors)
// `npm test -- unit e2e` runs only the named suites.
import { spawn } from 'node:child_process';

const SUITES = {
  unit: ['node', ['scripts/run-node-tests.mjs', 'lib', 'demo', 'components', 'deploy', 'scripts', 'charts', 'bench']],
  cluster: ['bash', ['-c', 'bash e2e/cluster/build.sh && bash charts/build-tools.sh && node scripts/run-node-tests.mjs e2e/cluster']],
  e2e: ['npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts']],
  battery: ['node', ['--conditions=react-server', '--import', 'tsx', 'scripts/battery/run.ts']],
  'bench-smoke': ['node', ['--conditions=react-server', '--import', 'tsx', 'bench/cluster.ts', '--small', '--results', 'test-results/bench']],
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(SUITES);
for (const n of names) if (!SUITES[n]) { console.error(`unknown suite ${n}; suites: ${Object.keys(SUITES).join(', ')}`); process.exit(2); }

function runSuite(name) {
  const [cmd, args] = SUITES[name];
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
    // The e2e suite, the battery and the benchmark build Next, which reports to Vercel unless told not to.
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    let passed = 0, failed = 0, tail = '';
    const scan = (chunk) => {
      const text = tail + chunk.toString();
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) count(line);
    };
    const count = (line) => {
      // node:test's closing lines, Playwright's list reporter summary, and the battery's closing line.
      let m;
      if ((m = /^# pass (\d+)$/.exec(line))) passed += Number(m[1]);
      else if ((m = /^# fail (\d+)$/.exec(line))) failed += Number(m[1]);
      else if ((m = /^\s+(\d+) passed \(/.exec(line))) passed += Number(m[1]);
      else if ((m = /^\s+(\d+) failed$/.exec(line))) failed += Number(m[1]);
      else if ((m = /^(\d+) passed, (\d+) failed$/.exec(line))) {
        passed += Number(m[1]);
        failed += Number(m[2]);
      }
    };
    child.stdout.on('data', (c) => { process.stdout.write(c); scan(c); });
    child.stderr.on('data', (c) => process.stderr.write(c));
    child.on('close', (code) => {
      if (tail) count(tail);
      // A suite that failed without counting a failed test (it crashed, or the smoke benchmark errored)
      // still counts as one failure; a clean script run with no test lines counts as one pass.
      if (code !== 0 && failed === 0) failed = 1;
      if (code === 0 && passed === 0 && failed === 0) passed = 1;
      resolve({ name, code: code ?? 1, passed, failed, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

const results = [];
for (const n of names) results.push(await runSuite(n));
console.log('\n=== summary');
for (const r of results) console.log(`${r.name.padEnd(12)} ${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.passed} passed, ${r.failed} failed (${r.seconds} s)`);
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
