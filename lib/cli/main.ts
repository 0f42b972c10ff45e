/**
 * Entry point of the `chainboard` command (started by bin/chainboard.mjs under tsx with the
 * `react-server` condition, so modules that `import 'server-only'` load outside Next).
 */
import { run } from './run';

// `chainboard check ... | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  now: () => new Date(),
}).then(
  // exitCode, not exit(): let stdout drain when it is a pipe.
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`chainboard: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 3;
  },
);
