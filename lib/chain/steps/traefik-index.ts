/**
 * Lookup tables over Traefik's objects, built once per snapshot (not per namespace): the Middlewares by
 * Traefik id, and the runtime's routers and services by name. Memoised on the snapshot's own arrays, so
 * analysing a thousand namespaces of one snapshot indexes them once; pure all the same.
 */
import type { Snapshot } from '../../model/snapshot';
import type { TraefikRouter, TraefikRuntime, TraefikService } from '../../model/traefik';
import { traefikNormalize } from '../../model/traefik';

/** The Middlewares Chainboard knows: by Traefik id (`Normalize(namespace-name)`), and the namespaces they were read in. */
export interface MiddlewareIndex {
  byId: Map<string, { namespace: string; name: string }[]>;
  /** Namespaces whose Middlewares were read (a reference into another one is not judged). */
  namespaces: Set<string>;
}

const middlewareMemo = new WeakMap<object, MiddlewareIndex>();

/**
 * The Middleware index of a snapshot. Middlewares are read in every namespace the snapshot knows (the
 * Namespace objects, and any namespace with an object), except those with a Middleware gap.
 */
export function middlewareIndex(s: Snapshot): MiddlewareIndex {
  const list = s.middlewares ?? [];
  const cached = middlewareMemo.get(list);
  if (cached) return cached;
  const byId = new Map<string, { namespace: string; name: string }[]>();
  const namespaces = new Set<string>(s.namespaces.map((n) => n.metadata.name));
  for (const m of list) {
    const namespace = m.metadata.namespace ?? '';
    namespaces.add(namespace);
    const id = traefikNormalize(`${namespace}-${m.metadata.name}`);
    const l = byId.get(id);
    if (l) l.push({ namespace, name: m.metadata.name });
    else byId.set(id, [{ namespace, name: m.metadata.name }]);
  }
  for (const g of s.gaps ?? []) if (g.kind === 'Middleware' && g.namespace) namespaces.delete(g.namespace);
  const index = { byId, namespaces };
  middlewareMemo.set(list, index);
  return index;
}

/** Traefik's routers and services by qualified name; routers with a conflict hash also by their key. */
export interface RuntimeIndex {
  routers: Map<string, TraefikRouter>;
  /** `<key>@provider` -> the routers named `<key>-<10 hex>@provider`. */
  hashed: Map<string, TraefikRouter[]>;
  services: Map<string, TraefikService>;
  middlewares: Map<string, { status: string }>;
}

const runtimeMemo = new WeakMap<TraefikRuntime, RuntimeIndex>();

export function runtimeIndex(rt: TraefikRuntime): RuntimeIndex {
  const cached = runtimeMemo.get(rt);
  if (cached) return cached;
  const routers = new Map<string, TraefikRouter>();
  const hashed = new Map<string, TraefikRouter[]>();
  for (const r of rt.routers) {
    routers.set(r.name, r);
    const m = /^(.*)-[0-9a-f]{10}(@[^@]+)$/.exec(r.name);
    if (m) {
      const key = `${m[1]}${m[2]}`;
      const l = hashed.get(key);
      if (l) l.push(r);
      else hashed.set(key, [r]);
    }
  }
  const index: RuntimeIndex = {
    routers,
    hashed,
    services: new Map(rt.services.map((x) => [x.name, x])),
    middlewares: new Map(rt.middlewares.map((x) => [x.name, { status: x.status }])),
  };
  runtimeMemo.set(rt, index);
  return index;
}
