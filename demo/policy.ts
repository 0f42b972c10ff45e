/**
 * Who may read what from the demo cluster: a stand-in for authentication and RBAC that refuses matching
 * requests with the 401 and 403 a real API server sends, so the app's handling of a forbidden namespace
 * or kind can be seen and tested.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
import type { ResourceType } from './resources';
import { ApiError } from './state';

/** The read verbs the demo cluster serves. */
export type Verb = 'get' | 'list' | 'watch';

/**
 * A rule that makes matching requests fail with 403 Forbidden. Unset fields match anything;
 * `namespace: null` matches only cluster-scope requests (e.g. listing Pods in all namespaces), a string
 * only requests inside that namespace.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
export interface ForbidRule {
  token?: string;
  verb?: Verb | Verb[];
  /** Kind (`Pod`) or resource (`pods`). */
  kind?: string;
  namespace?: string | null;
}

/** How the demo cluster authenticates and authorizes. */
export interface AuthPolicy {
  /** Reject requests without a bearer token with 401, as an API server without anonymous auth does. */
  requireToken?: boolean;
  /** User names by token, for the 403 messages. Unknown tokens are `demo-user`. */
  users?: Record<string, string>;
  forbid?: ForbidRule[];
}

/** One request as the policy judges it. */
export interface Access {
  token: string | undefined;
  verb: Verb;
  resource: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
}

function matches(r: ForbidRule, a: Access): boolean {
  return (
    (r.token === undefined || r.token === a.token) &&
    (r.verb === undefined || (Array.isArray(r.verb) ? r.verb.includes(a.verb) : r.verb === a.verb)) &&
    (r.kind === undefined || r.kind === a.resource.kind || r.kind === a.resource.plural) &&
    (r.namespace === undefined || (r.namespace === null ? a.namespace === undefined : r.namespace === a.namespace))
  );
}

/** The policy in force: the options' rules, and those added and removed while the server runs. */
export class AccessPolicy {
  private readonly rules: ForbidRule[];

  constructor(private readonly auth: AuthPolicy = {}) {
    this.rules = [...(auth.forbid ?? [])];
  }

  /** How many 403 rules are in force. */
  get size(): number {
    return this.rules.length;
  }

  /** Adds a 403 rule; returns the function that removes it. */
  forbid(rule: ForbidRule): () => void {
    this.rules.push(rule);
    return () => {
      const i = this.rules.indexOf(rule);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  /** Removes every 403 rule. */
  allowAll(): void {
    this.rules.length = 0;
  }

  /** Throws the 401 of a request without a token, when the policy requires one. */
  authenticate(token: string | undefined): void {
    if (this.auth.requireToken && !token) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
  }

  /** Throws the 403 Status a real API server sends when a rule matches the request. */
  authorize(a: Access): void {
    if (!this.rules.some((r) => matches(r, a))) return;
    const { resource, namespace, name, verb, token } = a;
    const user = token === undefined ? 'system:anonymous' : this.auth.users?.[token] ?? 'demo-user';
    const what = `${resource.plural}${resource.group ? '.' + resource.group : ''}`;
    const where = namespace !== undefined ? `in the namespace "${namespace}"` : 'at the cluster scope';
    throw new ApiError(
      403,
      'Forbidden',
      `${what}${name !== undefined ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${where}`,
      { ...(name !== undefined ? { name } : {}), ...(resource.group ? { group: resource.group } : {}), kind: resource.plural },
    );
  }
}
