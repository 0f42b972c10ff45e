#!/usr/bin/env node
// The `chainboard` command. The CLI is TypeScript (lib/cli/main.ts) sharing the web app's engine, so this
// launcher re-runs node with tsx's loader and the `react-server` condition (modules that
// `import 'server-only'` must load outside Next). tsx is resolved from this package, not from the
// caller's cwd, so `npx chainboard` works from anywhere. Arguments, stdio and the exit code pass through.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../lib/cli/main.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

const child = spawn(process.execPath, ['--conditions=react-server', '--import', tsx, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});

// A terminal's Ctrl-C reaches the child through the process group; a supervisor's SIGTERM does not.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}

child.on('error', (e) => {
  process.stderr.write(`chainboard: cannot start ${process.execPath}: ${e.message}\n`);
  process.exit(3);
});

child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so callers see what happened to the CLI.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 3);
});
