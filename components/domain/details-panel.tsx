'use client';
/**
 * The details of the selected diagram node: its key fields, conditions, containers and restarts, recent
 * Warning events, the findings placed on it (and on the links into or out of it) with their next command,
 * and the command that shows the object.
 */
import type { DomainChain, EventSummary, Finding, PodSummary } from '../../lib/model/chain';
import type { GraphNode } from '../chain';
import { EventList } from '../ui/events';
import { CopyButton } from '../ui/copy-button';
import { HealthBadge, HealthIcon } from '../ui/health';
import { RelativeTime } from '../ui/time';
import { inspectCommand } from './commands';
import { FindingGroupCards } from './findings';
import { httpBadgeText } from '../../lib/model/http-text';
import { DnsDetails, Field, TlsDetails } from './tls-dns-panels';
import { traefikCheckText } from '../../lib/model/check';

/** Props of {@link DetailsPanel}. */
export interface DetailsPanelProps {
  domain: DomainChain;
  node: GraphNode | undefined;
  /** The id in `?focus=` when it names nothing in the chain any more. */
  missingId?: string;
  /** Findings of the node and of the edges that touch it. */
  findings: Finding[];
  /** The Service of this node can collapse to counts again. */
  onCollapse?: () => void;
  /** The Service of this node has endpoints hidden behind counts. */
  onExpand?: () => void;
  onClose: () => void;
}

/** Events about the object behind a node. */
function eventsFor(domain: DomainChain, node: GraphNode): EventSummary[] {
  const d = node.data;
  const match = (kind: string, name: string) => domain.events.filter((e) => e.object.kind === kind && e.object.name === name);
  switch (d.kind) {
    case 'domain':
      return domain.events;
    case 'route':
      return match(d.route.kind ?? 'Ingress', d.route.ingress);
    case 'service':
      return match('Service', d.name);
    case 'endpoint':
      return match('EndpointSlice', d.endpoint.slice);
    case 'endpoint-group':
      return domain.events.filter((e) => e.object.kind === 'Pod' && d.endpoints.some((x) => x.pod?.name === e.object.name));
    case 'pod':
      return match('Pod', d.pod.name);
    default:
      return [];
  }
}

/** The details panel of the domain page: the selected node, or how to select one. */
export function DetailsPanel({ domain, node, missingId, findings, onCollapse, onExpand, onClose }: DetailsPanelProps) {
  if (!node) {
    return (
      <div className="text-sm text-zinc-700 dark:text-zinc-300">
        {missingId ? (
          <p role="status">
            <strong className="break-all">{missingId}</strong> is no longer part of this chain (the object changed or went away).
          </p>
        ) : (
          <p>Select a node of the diagram (click it, or Tab to the diagram, move to it with the arrow keys and press Enter) to see its fields, conditions, events and findings.</p>
        )}
      </div>
    );
  }
  const cmd = inspectCommand(node, domain.namespace);
  const events = eventsFor(domain, node);
  const d = node.data;
  return (
    <div className="space-y-4">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
            {node.kindLabel}
            {node.missing ? ' (missing)' : ''}
          </p>
          <h3 className="text-lg font-semibold break-all">{node.name}</h3>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <HealthBadge health={node.missing ? 'down' : node.health} size="sm" />
            <code className="text-xs text-zinc-600 dark:text-zinc-400">{node.id}</code>
          </div>
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close details"
          className="rounded-md border border-zinc-300 px-2 py-0.5 text-sm hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800"
        >
          ✕
        </button>
      </div>

      <div className="grid gap-x-8 gap-y-4 lg:grid-cols-2">
        <div className="min-w-0 space-y-4">
          {d.kind === 'tls' ? <TlsDetails tls={d.tls} findings={[]} /> : null}
          {d.kind === 'dns' ? <DnsDetails dns={d.dns} findings={[]} /> : null}
          {d.kind === 'traefik' ? (
            <dl>
              <Field label="Checked">{traefikCheckText(d.traefik) ?? `from Traefik's API at ${d.traefik.check.state === 'checked' ? d.traefik.check.fetchedAt : ''}`}</Field>
              {d.traefik.routers.map((r) => (
                <Field key={r.routeId} label={`Router (${r.routeId.replace(/^Route\//, '')})`}>
                  <code className="break-all">{r.name}</code>
                  {r.status && r.status !== 'enabled' ? ` · ${r.status}` : ''}
                  {r.entryPoints.length ? ` · on ${r.entryPoints.join(', ')}` : ''}
                  {r.middlewares.map((m) => (
                    <div key={m.name} className="text-xs">
                      Middleware <code className="break-all">{m.name}</code>: {m.state}
                    </div>
                  ))}
                  {(r.error ?? []).map((e) => (
                    <div key={e} className="text-xs text-red-700 dark:text-red-400">
                      {e}
                    </div>
                  ))}
                </Field>
              ))}
            </dl>
          ) : null}
          {d.kind === 'domain' ? (
            <dl>
              <Field label="Namespace">{d.domain.namespaces.join(', ')}</Field>
              <Field label="Routes">{d.domain.routes.length}</Field>
              <Field label="TLS">
                <HealthBadge health={d.domain.tls.health} size="sm" />
              </Field>
              <Field label="DNS">
                <HealthBadge health={d.domain.dns.health} size="sm" />
              </Field>
              <Field label="HTTP">
                <HealthBadge health={d.domain.http?.health ?? 'not-checked'} size="sm" /> <span className="text-xs">{httpBadgeText(d.domain.http)}</span>
              </Field>
            </dl>
          ) : null}
          {d.kind === 'route' ? (
            <dl>
              <Field label="Ingress">
                {d.route.namespace}/{d.route.ingress}
              </Field>
              <Field label="Class">{d.route.ingressClass ?? <em>none set</em>}</Field>
              <Field label="Path">{d.route.isDefaultBackend ? 'default backend (any path)' : `${d.route.path} (${d.route.pathType})`}</Field>
              <Field label="Backend">
                {d.route.backend.service
                  ? `Service ${d.route.backend.service.name ?? '?'} port ${d.route.backend.service.port?.name ?? d.route.backend.service.port?.number ?? '?'}`
                  : d.route.backend.resource
                    ? `${d.route.backend.resource.kind ?? 'resource'} ${d.route.backend.resource.name ?? ''} (${d.route.backend.resource.apiGroup ?? 'core'})`
                    : 'none'}
              </Field>
            </dl>
          ) : null}
          {d.kind === 'service' ? (
            d.service ? (
              <dl>
                <Field label="Type">{d.service.type}</Field>
                {d.service.externalName ? <Field label="External name">{d.service.externalName}</Field> : null}
                <Field label="Selector">
                  {d.service.selector && Object.keys(d.service.selector).length ? (
                    <code className="text-xs">{Object.entries(d.service.selector).map(([k, v]) => `${k}=${v}`).join(', ')}</code>
                  ) : (
                    <em>none (endpoints are managed by hand)</em>
                  )}
                </Field>
                <Field label="Route's port">
                  {d.service.port ? `${d.service.port.name ? `${d.service.port.name} ` : ''}${d.service.port.port} → ${d.service.port.targetPort ?? d.service.port.port}` : <span className="font-semibold text-down">not exposed by the Service</span>}
                </Field>
                <Field label="Ports">{d.service.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port}/${p.protocol ?? 'TCP'} → ${p.targetPort ?? p.port}`).join(', ') || '-'}</Field>
                <Field label="Endpoints">
                  {d.service.counts.ready} ready, {d.service.counts.notReady} not ready, {d.service.counts.terminating} terminating (of {d.service.counts.total})
                </Field>
                {d.service.podsWithoutEndpoint.length ? (
                  <Field label="Pods without endpoint">{d.service.podsWithoutEndpoint.map((p) => p.name).join(', ')}</Field>
                ) : null}
              </dl>
            ) : (
              <p className="text-sm">
                The Ingress backend names Service <strong>{d.name}</strong>, which does not exist in {d.namespace}. Requests for this route get an error
                from the ingress controller.
              </p>
            )
          ) : null}
          {d.kind === 'endpoint-group' ? (
            <dl>
              <Field label="State">{d.state}</Field>
              <Field label="Owner">{d.owner ?? '-'}</Field>
              <Field label="Endpoints">
                {d.counts.ready} ready, {d.counts.notReady} not ready, {d.counts.terminating} terminating (of {d.counts.total})
              </Field>
            </dl>
          ) : null}
          {d.kind === 'endpoint' ? (
            <dl>
              <Field label="Addresses">{d.endpoint.addresses.join(', ')}</Field>
              <Field label="EndpointSlice">{d.endpoint.slice}</Field>
              <Field label="Conditions">
                ready={String(d.endpoint.ready)}, serving={String(d.endpoint.serving)}, terminating={String(d.endpoint.terminating)}
              </Field>
              <Field label="Port">{d.endpoint.port ?? <span className="font-semibold text-down">none for this Service port</span>}</Field>
              <Field label="Node">
                {d.endpoint.nodeName ?? '-'}
                {d.endpoint.zone ? ` (${d.endpoint.zone})` : ''}
              </Field>
              <Field label="Target">{d.endpoint.targetRef ? `${d.endpoint.targetRef.kind}/${d.endpoint.targetRef.name}` : '-'}</Field>
            </dl>
          ) : null}
          {d.kind === 'pod' ? <PodDetails pod={d.pod} withoutEndpoint={d.withoutEndpoint} /> : null}

          {onExpand ? (
            <button type="button" onClick={onExpand} className="rounded-md border border-zinc-300 px-3 py-1 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800">
              Show all endpoints
            </button>
          ) : null}
          {onCollapse ? (
            <button type="button" onClick={onCollapse} className="rounded-md border border-zinc-300 px-3 py-1 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800">
              Collapse endpoints to counts
            </button>
          ) : null}

          {cmd ? (
            <div>
              <h4 className="text-sm font-semibold">Inspect</h4>
              <div className="mt-1 flex items-start gap-2">
                <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-zinc-100 px-2 py-1.5 font-mono text-xs whitespace-pre-wrap break-all dark:bg-zinc-800">{cmd}</pre>
                <CopyButton text={cmd} what="the inspect command" />
              </div>
            </div>
          ) : null}

        </div>
        <div className="min-w-0 space-y-4">
          <div>
            <h4 className="mb-1 text-sm font-semibold">Findings ({findings.length})</h4>
            {findings.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">None on this node.</p>
            ) : (
              <FindingGroupCards findings={findings} />
            )}
        </div>

          {d.kind !== 'tls' && d.kind !== 'dns' && d.kind !== 'traefik' ? (
            <div>
              <h4 className="mb-1 text-sm font-semibold">Recent Warning events ({events.length})</h4>
              <EventList events={events.slice(0, 10)} empty="None." />
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function PodDetails({ pod, withoutEndpoint }: { pod: PodSummary; withoutEndpoint: boolean }) {
  return (
    <div className="space-y-3">
      <dl>
        <Field label="Phase">
          {pod.deleting ? 'Terminating' : pod.phase}
          {pod.reason && pod.reason !== pod.phase ? ` (${pod.reason})` : ''}
        </Field>
        <Field label="Ready">{pod.ready ? 'yes' : <span className="font-semibold text-down">no</span>}</Field>
        {withoutEndpoint ? <Field label="Endpoint">none for this Service port</Field> : null}
        <Field label="Restarts">{pod.restarts}</Field>
        <Field label="Node">{pod.nodeName ?? <em>not scheduled</em>}</Field>
        <Field label="Pod IP">{pod.podIP ?? '-'}</Field>
        <Field label="Owner">{pod.owner ?? '-'}</Field>
        <Field label="Started">{pod.startTime ? <RelativeTime at={pod.startTime} /> : '-'}</Field>
      </dl>
      {pod.conditions.length ? (
        <div>
          <h4 className="mb-1 text-sm font-semibold">Conditions</h4>
          <table className="w-full text-left text-xs">
            <thead className="text-zinc-600 dark:text-zinc-400">
              <tr>
                <th scope="col" className="pr-2 font-medium">
                  Type
                </th>
                <th scope="col" className="pr-2 font-medium">
                  Status
                </th>
                <th scope="col" className="font-medium">
                  Reason
                </th>
              </tr>
            </thead>
            <tbody>
              {pod.conditions.map((c) => (
                <tr key={c.type} className="align-top">
                  <td className="py-0.5 pr-2">{c.type}</td>
                  <td className={`py-0.5 pr-2 font-semibold ${c.status === 'True' ? '' : 'text-down'}`}>{c.status}</td>
                  <td className="py-0.5 break-words">
                    {c.reason ?? ''}
                    {c.message ? <span className="block text-zinc-600 dark:text-zinc-400">{c.message}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pod.containers.length ? (
        <div>
          <h4 className="mb-1 text-sm font-semibold">Containers</h4>
          <ul className="space-y-2">
            {pod.containers.map((c) => (
              <li key={c.name} className="rounded-md border border-zinc-200 p-2 text-xs dark:border-zinc-700">
                <div className="flex flex-wrap items-center gap-2">
                  <HealthIcon health={c.ready ? 'healthy' : c.state === 'waiting' || c.state === 'terminated' ? 'down' : 'degraded'} />
                  <strong className="text-sm">{c.name}</strong>
                  <span>
                    {c.state}
                    {c.reason ? `: ${c.reason}` : ''}
                    {c.ready ? ', ready' : ', not ready'}
                  </span>
                  <span className="ml-auto tabular-nums">
                    {c.restartCount} restart{c.restartCount === 1 ? '' : 's'}
                  </span>
                </div>
                {c.image ? <p className="mt-1 font-mono break-all text-zinc-600 dark:text-zinc-400">{c.image}</p> : null}
                {c.message ? <p className="mt-1 break-words">{c.message}</p> : null}
                {c.lastTerminationReason ? (
                  <p className="mt-1">
                    Last terminated: <strong>{c.lastTerminationReason}</strong>
                    {c.lastTerminationExitCode !== undefined ? `, exit code ${c.lastTerminationExitCode}` : ''}
                    {c.lastTerminationAt ? (
                      <>
                        , <RelativeTime at={c.lastTerminationAt} />
                      </>
                    ) : null}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
