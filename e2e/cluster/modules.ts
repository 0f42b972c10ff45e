/**
 * Files of released Go modules, for the e2e harness: CRDs and RBAC are taken from the module of the
 * version the harness runs (Traefik's own docs, the Gateway API's `config/crd`, cert-manager's
 * `deploy/crds`), never from copies in this repository. `go mod download` finds a module in Go's module
 * cache (building Traefik puts its dependencies there) or fetches it from the module proxy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseObjects, type KubeObject } from './objects';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The wrapper module Traefik is built from: its go.mod pins Traefik and every module Traefik requires. */
export const TRAEFIK_WRAPPER = join(HERE, 'traefik');

/** The version traefik/go.mod requires of a module (directly or not). */
export function requiredVersion(module: string): string {
  const gomod = readFileSync(join(TRAEFIK_WRAPPER, 'go.mod'), 'utf8');
  const m = new RegExp(`^\\s*${module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (v\\S+)`, 'm').exec(gomod);
  if (!m) throw new Error(`traefik/go.mod requires no ${module}`);
  return m[1]!;
}

const cache = new Map<string, string>();

/** The folder of `module@version` in Go's module cache, downloading it through the proxy when missing. */
export function moduleDir(module: string, version: string): string {
  const key = `${module}@${version}`;
  const known = cache.get(key);
  if (known) return known;
  // Outside any module, so no go.mod decides what may be downloaded.
  const cwd = mkdtempSync(join(tmpdir(), 'chainboard-gomod-'));
  let out: string;
  try {
    out = execFileSync('go', ['mod', 'download', '-json', key], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, PATH: [process.env.PATH, '/usr/local/go/bin'].filter(Boolean).join(delimiter), GOTOOLCHAIN: 'local', GO111MODULE: 'on' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`go mod download ${key} failed: ${err.stdout?.trim() || err.stderr?.trim() || err.message}`);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${key} gave no folder: ${out}`);
  cache.set(key, dir);
  return dir;
}

/** The objects of one YAML file of a module. */
export function moduleObjects(module: string, version: string, file: string): KubeObject[] {
  return parseObjects(readFileSync(join(moduleDir(module, version), file), 'utf8'), `${module}@${version}/${file}`);
}

/** The CustomResourceDefinitions of every YAML file of a module's folder whose name matches. */
export function moduleCrds(module: string, version: string, folder: string, match: RegExp): KubeObject[] {
  const dir = join(moduleDir(module, version), folder);
  return readdirSync(dir)
    .filter((f) => match.test(f))
    .sort()
    .flatMap((f) => parseObjects(readFileSync(join(dir, f), 'utf8'), `${module}@${version}/${folder}/${f}`))
    .filter((o) => o.kind === 'CustomResourceDefinition');
}

/** A version pinned in versions.sh (`NAME=v…`), the one file that names the harness's versions. */
export function pinnedVersion(name: string): string {
  const m = new RegExp(`^${name}=(v\\S+)$`, 'm').exec(readFileSync(join(HERE, 'versions.sh'), 'utf8'));
  if (!m) throw new Error(`versions.sh pins no ${name}`);
  return m[1]!;
}
