import { NamespaceForbidden } from '@/components/namespace/namespace-forbidden';

/**
 * 403 for `/c/{cluster}/ns/{namespace}` (the page calls `forbidden()`): the namespace, what the API server refused
 * and how to grant it. Forbidden files get no props: the detail comes from this segment's layout.
 */
export default function Forbidden() {
  return <NamespaceForbidden />;
}
