/**
 * Where e2e/cluster/build.sh puts the control-plane binaries (and kustomize): one place for the cache
 * path, which build.sh computes (`--bin-dir`) from versions.sh and CHAINBOARD_K8S_CACHE.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The bin folder of the build cache (it may not exist yet). */
export function defaultBinDir(): string {
  return execFileSync('bash', [join(HERE, 'build.sh'), '--bin-dir'], { encoding: 'utf8' }).trim();
}

/** Path of one built binary, or undefined when build.sh has not built it. */
export function builtBinary(name: string): string | undefined {
  const p = join(defaultBinDir(), name);
  return existsSync(p) ? p : undefined;
}

/** The bin folder of Traefik's build cache (`build-traefik.sh --bin-dir`; it may not exist yet). */
export function traefikBinDir(): string {
  return execFileSync('bash', [join(HERE, 'build-traefik.sh'), '--bin-dir'], { encoding: 'utf8' }).trim();
}
