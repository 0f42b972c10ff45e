/**
 * Traefik's Gateway API provider in the e2e harness: the Gateway API's standard CRDs and Traefik's own
 * RBAC for that provider, each read from the Go module of the version Traefik is built with
 * (traefik/go.mod): the CRDs from sigs.k8s.io/gateway-api's `config/crd/standard`, the RBAC from Traefik's
 * `docs/content/reference/dynamic-configuration/kubernetes-gateway-rbac.yml`. Building Traefik puts both
 * modules in Go's module cache; `go mod download` finds them there (or fetches them from the proxy).
 *
 * const traefik = await startTraefik(cp, { gateway: true });   // installs both first
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ControlPlane } from './harness';
import { parseObjects, type KubeObject } from './objects';
import { waitFor } from './wait';

const HERE = dirname(fileURLToPath(import.meta.url));
const WRAPPER = join(HERE, 'traefik');

/** The controller name Traefik's Gateway provider serves GatewayClasses of. */
export const TRAEFIK_GATEWAY_CONTROLLER = 'traefik.io/gateway-controller';

/** The version traefik/go.mod requires of a module (directly or not). */
export function requiredVersion(module: string): string {
  const gomod = readFileSync(join(WRAPPER, 'go.mod'), 'utf8');
  const m = new RegExp(`^\\s*${module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (v\\S+)`, 'm').exec(gomod);
  if (!m) throw new Error(`traefik/go.mod requires no ${module}`);
  return m[1]!;
}

/** The folder of a module at the version traefik/go.mod requires, from Go's module cache. */
export function moduleDir(module: string): string {
  const version = requiredVersion(module);
  let out: string;
  try {
    out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
      cwd: WRAPPER,
      encoding: 'utf8',
      env: { ...process.env, PATH: [process.env.PATH, '/usr/local/go/bin'].filter(Boolean).join(delimiter), GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`go mod download ${module}@${version} failed (run bash e2e/cluster/build.sh first): ${err.stderr?.trim() || err.message}`);
  }
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${module}@${version} gave no folder: ${out}`);
  return dir;
}

/** The Gateway API's standard-channel CRDs (not its ValidatingAdmissionPolicy). */
export function gatewayApiCrds(): KubeObject[] {
  const dir = join(moduleDir('sigs.k8s.io/gateway-api'), 'config', 'crd', 'standard');
  const files = readdirSync(dir).filter((f) => /^gateway\.networking\.k8s\.io_.*\.yaml$/.test(f) && !f.includes('_vap_'));
  return files.flatMap((f) => parseObjects(readFileSync(join(dir, f), 'utf8'), f)).filter((o) => o.kind === 'CustomResourceDefinition');
}

/** Traefik's ClusterRole for its Gateway provider, bound to the ServiceAccount Traefik runs as. */
export function traefikGatewayRbac(serviceAccount: { name: string; namespace: string }): KubeObject[] {
  const file = join(moduleDir('github.com/traefik/traefik/v3'), 'docs', 'content', 'reference', 'dynamic-configuration', 'kubernetes-gateway-rbac.yml');
  return parseObjects(readFileSync(file, 'utf8'), 'kubernetes-gateway-rbac.yml').map((o) =>
    o.kind === 'ClusterRoleBinding' ? { ...o, subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: serviceAccount.namespace }] } : o,
  );
}

/** Installs the Gateway API CRDs (waiting until established) and Traefik's RBAC for them. Idempotent. */
export async function installGatewayApi(cp: ControlPlane, serviceAccount: { name: string; namespace: string }): Promise<void> {
  const crds = gatewayApiCrds();
  await cp.applyAll(crds);
  await waitFor('Gateway API CRDs established', async () => {
    for (const crd of crds) {
      const r = await cp.api<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      if (!r.body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) throw new Error(`${crd.metadata.name} not established`);
    }
    return true;
  });
  await cp.applyAll(traefikGatewayRbac(serviceAccount));
}
