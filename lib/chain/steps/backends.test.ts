import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context } from '../__fixtures__/load';
import { backendRef, resolveBackend } from './backends';

const backend = (name: string, port: { name?: string; number?: number }) => ({ service: { name, port } });

test('a backend resolves to its Service and the Service port of that number', () => {
  const b = resolveBackend(context('seed'), backend('my-app', { number: 80 }));
  assert.equal(b.service?.metadata.name, 'my-app');
  assert.deepStrictEqual(b.port, { protocol: 'TCP', port: 80, targetPort: 8080 });
});

test('a backend port by name resolves to the Service port of that name', () => {
  const b = resolveBackend(context('ingress-backend-port-by-name'), backend('my-app', { name: 'http' }));
  assert.deepStrictEqual(b.port, { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' });
});

test('a port the Service does not have resolves to the Service alone, and a missing Service to nothing', () => {
  const ctx = context('seed');
  const b = resolveBackend(ctx, backend('my-app', { number: 8443 }));
  assert.deepStrictEqual([b.service?.metadata.name, 'port' in b], ['my-app', false]);
  assert.deepStrictEqual(resolveBackend(ctx, backend('nope', { number: 80 })), {});
  assert.deepStrictEqual(resolveBackend(ctx, undefined), {});
});

test('an ExternalName Service without ports takes the backend port number as is', () => {
  const ctx = context('service-externalname', (s) => {
    s.services[0]!.spec!.ports = [];
  });
  const name = [...ctx.services.keys()][0]!;
  assert.deepStrictEqual(resolveBackend(ctx, backend(name, { number: 8080 })).port, { port: 8080 });
  assert.equal(resolveBackend(ctx, backend(name, { name: 'http' })).port, undefined);
});

test('the backend as a route shows it is a copy that shares nothing with the Ingress', () => {
  const b = { service: { name: 'my-app', port: { number: 80 } }, resource: { kind: 'StorageBucket', name: 'x' } };
  const ref = backendRef(b);
  assert.deepStrictEqual(ref, b);
  assert.notEqual(ref.service?.port, b.service.port);
  assert.notEqual(ref.resource, b.resource);
  assert.deepStrictEqual(backendRef(undefined), {});
});
