/**
 * The client environments the e2e suite (suite.test.ts) installs into the real control plane: the seed
 * example of the engine issue (hst-my-client) and two more (hst-acme, hst-globex), each a Deployment, a
 * Service and an Ingress in the cluster's Traefik pattern, plus the IngressClass they name. Only
 * builders of plain API objects: applying them is the harness's `applyAll`.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
import type { ControlPlane } from './harness';
import type { KubeObject } from './objects';

/** What Traefik would publish in each Ingress's status.loadBalancer (nothing listens there). */
export const INGRESS_ADDRESS = '127.0.0.1';
export const INGRESS_CLASS = 'traefik-external';
export const TRAEFIK_CONTROLLER = 'traefik.io/ingress-controller';

const ENTRYPOINTS = 'traefik.ingress.kubernetes.io/router.entrypoints';
const CERT_RESOLVER = 'traefik.ingress.kubernetes.io/router.tls.certresolver';
const DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';

export const ingressClass = (): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: INGRESS_CLASS },
  spec: { controller: TRAEFIK_CONTROLLER },
});

export const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export interface ContainerPort {
  containerPort: number;
  name?: string;
}

export function deployment(ns: string, app: string, replicas: number, ports: ContainerPort[]): KubeObject {
  const labels = { app };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: ns, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          // kwok fakes the containers: the image is never pulled.
          containers: [{ name: app, image: `registry.invalid/${ns}/${app}:1`, ports: ports.map((p) => ({ ...p, protocol: 'TCP' })) }],
        },
      },
    },
  };
}

export interface ServiceSpec {
  selector?: Record<string, string>;
  port: number;
  portName?: string;
  targetPort: number | string;
}

export function service(ns: string, name: string, s: ServiceSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: {
      type: 'ClusterIP',
      selector: s.selector ?? { app: name },
      ports: [{ ...(s.portName ? { name: s.portName } : {}), port: s.port, targetPort: s.targetPort, protocol: 'TCP' }],
    },
  };
}

interface Route {
  host: string;
  path?: string;
  service: string;
  port: { number: number } | { name: string };
}

/** An Ingress of class traefik-external; `tls` adds the ACME resolver, websecure and spec.tls. */
export function ingress(ns: string, name: string, routes: Route[], opts: { tls: boolean }): KubeObject {
  const hosts = [...new Set(routes.map((r) => r.host))];
  const annotations: Record<string, string> = opts.tls
    ? { [CERT_RESOLVER]: 'letsencrypt', [ENTRYPOINTS]: 'websecure', [DNS_HOSTNAME]: hosts.join(',') }
    : { [ENTRYPOINTS]: 'web', [DNS_HOSTNAME]: hosts.join(',') };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns, annotations },
    spec: {
      ingressClassName: INGRESS_CLASS,
      ...(opts.tls ? { tls: [{ hosts, secretName: `${name}-tls` }] } : {}),
      rules: hosts.map((host) => ({
        host,
        http: {
          paths: routes
            .filter((r) => r.host === host)
            .map((r) => ({ path: r.path ?? '/', pathType: 'Prefix', backend: { service: { name: r.service, port: r.port } } })),
        },
      })),
    },
  };
}

// -------------------------------------------------------------------------------------------------
// The three environments

export const SEED_NS = 'hst-my-client';
export const SEED_HOST = 'app.my-client.junovy.com';
export const ACME_NS = 'hst-acme';
export const ACME_HOST = 'shop.acme.example';
export const GLOBEX_NS = 'hst-globex';
export const GLOBEX_WWW = 'www.globex.example';
export const GLOBEX_API = 'api.globex.example';

/**
 * The seed example, exactly as the engine issue states it: Pods labelled app: my-app with containerPort
 * 8080; Service my-app port 80 -> 8080; Ingress my-app (traefik-external, websecure, ACME resolver
 * letsencrypt, external-dns hostname) whose TLS Secret my-app-tls does not exist.
 */
export const seedDeployment = () => deployment(SEED_NS, 'my-app', 3, [{ containerPort: 8080 }]);
export const seedService = (over: Partial<ServiceSpec> = {}) => service(SEED_NS, 'my-app', { port: 80, portName: 'http', targetPort: 8080, ...over });
export const seedIngress = () => ingress(SEED_NS, 'my-app', [{ host: SEED_HOST, service: 'my-app', port: { number: 80 } }], { tls: true });

/**
 * Every object of the three environments (Namespaces first). hst-acme uses named ports all the way
 * (Ingress port name -> Service port `web` -> targetPort `http` -> container port `http`); hst-globex
 * serves two hosts from one Ingress without TLS, one of them from a single replica.
 */
export function environments(): KubeObject[] {
  return [
    namespace(SEED_NS),
    namespace(ACME_NS),
    namespace(GLOBEX_NS),
    ingressClass(),
    seedDeployment(),
    seedService(),
    seedIngress(),
    deployment(ACME_NS, 'shop', 2, [{ name: 'http', containerPort: 3000 }]),
    service(ACME_NS, 'shop', { port: 80, portName: 'web', targetPort: 'http' }),
    ingress(ACME_NS, 'shop', [{ host: ACME_HOST, service: 'shop', port: { name: 'web' } }], { tls: true }),
    deployment(GLOBEX_NS, 'www', 1, [{ name: 'http', containerPort: 80 }]),
    service(GLOBEX_NS, 'www', { port: 80, targetPort: 80 }),
    deployment(GLOBEX_NS, 'api', 2, [{ name: 'api', containerPort: 9000 }]),
    service(GLOBEX_NS, 'api', { port: 8080, portName: 'api', targetPort: 'api' }),
    ingress(
      GLOBEX_NS,
      'globex',
      [
        { host: GLOBEX_WWW, service: 'www', port: { number: 80 } },
        { host: GLOBEX_API, path: '/v1', service: 'api', port: { name: 'api' } },
      ],
      { tls: false },
    ),
  ];
}

/** Publishes the Ingress's address through the status subresource, as Traefik does once it serves it. */
export async function publishIngressAddress(cp: ControlPlane, ns: string, name: string, ip = INGRESS_ADDRESS): Promise<void> {
  const r = await cp.api(
    'PATCH',
    `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${name}/status`,
    { status: { loadBalancer: { ingress: [{ ip }] } } },
    'application/merge-patch+json',
  );
  if (r.status !== 200) throw new Error(`publishing the address of Ingress ${ns}/${name}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
}
