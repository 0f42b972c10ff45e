/**
 * CLI for the demo cluster:
 *
 *   node --import tsx demo/main.ts [--port N] [--kubeconfig out.yaml] [--data DIR]... [--timeline]
 *                                  [--interval MS] [--history N] [--verbose]
 *
 * Prints `Demo Kubernetes API server listening on http://127.0.0.1:PORT` (and the kubeconfig path) on
 * stdout, then serves until SIGINT/SIGTERM. `--data` defaults to samples/cluster when it exists, else the
 * small test dump in demo/__fixtures__.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataPath } from './load';
import { startDemoServer } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.DEMO_PORT ?? '0' },
      kubeconfig: { type: 'string' },
      data: { type: 'string', multiple: true },
      timeline: { type: 'boolean', default: false },
      interval: { type: 'string' },
      history: { type: 'string' },
      token: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: node --import tsx demo/main.ts [--port N] [--kubeconfig FILE] [--data DIR]... [--timeline] [--interval MS] [--history N] [--verbose]\n');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  const data = values.data?.length ? values.data : [defaultDataPath()];
  const server = await startDemoServer({
    port,
    dumpPath: data,
    timeline: values.timeline ? { intervalMs: values.interval ? Number(values.interval) : undefined } : false,
    historyLimit: values.history ? Number(values.history) : undefined,
    log: values.verbose ? (l) => process.stderr.write(`${l}\n`) : (l) => (l.startsWith('load:') ? process.stderr.write(`${l}\n`) : undefined),
  });
  process.stdout.write(`Demo Kubernetes API server listening on ${server.url}\n`);
  process.stdout.write(`Serving ${data.join(', ')}${values.timeline ? ' (timeline on)' : ''}\n`);
  if (values.kubeconfig) {
    const path = resolve(values.kubeconfig);
    server.writeKubeconfig(path, { token: values.token });
    process.stdout.write(`Kubeconfig written to ${path}\n`);
  }
  const shutdown = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // A server that is stopped keeps nothing else alive; keep the process up until a signal.
  setInterval(() => undefined, 1 << 30);
}

main().catch((e: unknown) => {
  process.stderr.write(`demo: ${(e as Error).message}\n`);
  process.exit(1);
});
