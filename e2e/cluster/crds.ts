/**
 * Installing CustomResourceDefinitions on the harness's API server: applied server-side, then waited for
 * until each is `Established`, so objects of their kinds can be created right after.
 */
import type { ControlPlane } from './harness';
import type { KubeObject } from './objects';
import { waitFor } from './wait';

/** Applies the CRDs and resolves once every one of them is Established (`what` names them in a timeout). */
export async function installCrds(cp: ControlPlane, crds: KubeObject[], what: string): Promise<void> {
  await cp.applyAll(crds);
  await waitFor(`${what} CRDs established`, async () => {
    for (const crd of crds) {
      const r = await cp.api<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      if (!r.body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) throw new Error(`${crd.metadata.name} not established`);
    }
    return true;
  });
}
