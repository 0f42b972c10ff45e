/**
 * Data rules: what Chainboard could not read. A gap makes the chains it touches `unknown` (never
 * healthy); the info-level finding makes it visible in the list, with the command that checks access.
 */
import type { DataGap } from '../../model/snapshot';
import { kubectl, type NsContext } from '../context';
import type { Rule } from './types';

export interface GapSubject {
  gap: DataGap;
}

const RESOURCE: Record<string, string> = {
  Namespace: 'namespaces',
  IngressClass: 'ingressclasses.networking.k8s.io',
  Ingress: 'ingresses.networking.k8s.io',
  Service: 'services',
  EndpointSlice: 'endpointslices.discovery.k8s.io',
  Pod: 'pods',
  Event: 'events',
  Secret: 'secrets',
  Certificate: 'certificates.cert-manager.io',
};
const resource = (kind: string) => RESOURCE[kind] ?? kind.toLowerCase();
const scope = (g: DataGap, ctx: NsContext) => (g.namespace ? `in ${g.namespace}` : 'cluster-wide');
const canI = (g: DataGap, ctx: NsContext) =>
  `kubectl auth can-i list ${resource(g.kind)} ${g.namespace ? `-n ${g.namespace}` : '-A'}${ctx.opts.identity ? ` --as ${ctx.opts.identity}` : ''}`;
const getIt = (g: DataGap, ctx: NsContext) => `${kubectl(g.namespace ?? ctx.ns)} get ${resource(g.kind)} --request-timeout=10s`;

export const DATA_RULES: readonly Rule<GapSubject, NsContext>[] = [
  {
    code: 'data.forbidden',
    severity: 'info',
    family: 'data',
    title: 'Not allowed to read',
    description: "Chainboard's identity may not list this kind here (RBAC): the chains that need it are unknown, never shown healthy.",
    hint: 'kubectl auth can-i list pods -n NS --as IDENTITY',
    check({ gap }, ctx) {
      if (gap.reason !== 'forbidden') return;
      return { message: `Not allowed to list ${resource(gap.kind)} ${scope(gap, ctx)}: ${gap.message}`, hint: canI(gap, ctx) };
    },
  },
  {
    code: 'data.not-synced',
    severity: 'info',
    family: 'data',
    title: 'Not synced yet',
    description: 'The watch cache for this kind has not finished its first list (or lost its watch): the chains that need it are unknown for now.',
    hint: 'kubectl -n NS get pods --request-timeout=10s',
    check({ gap }, ctx) {
      if (gap.reason !== 'not-synced') return;
      return { message: `${resource(gap.kind)} ${scope(gap, ctx)} not synced yet: ${gap.message}`, hint: getIt(gap, ctx) };
    },
  },
  {
    code: 'data.error',
    severity: 'info',
    family: 'data',
    title: 'Read failed',
    description: 'Reading this kind failed (API unreachable, timeout, server error): the chains that need it are unknown.',
    hint: 'kubectl -n NS get pods --request-timeout=10s',
    check({ gap }, ctx) {
      if (gap.reason !== 'error') return;
      return { message: `Could not read ${resource(gap.kind)} ${scope(gap, ctx)}: ${gap.message}`, hint: getIt(gap, ctx) };
    },
  },
];
