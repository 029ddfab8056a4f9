/** A memory router for component tests of the fleet page and its parts: the route its rows link to, and any other. */
import { createMemoryHistory, createRouter, Router } from 'vue-router';

/** A router at Cluster Management -> Audit Log, with the resource-detail route the rows link to. */
export async function fleetPageRouter(): Promise<Router> {
  const page = { render: () => null };
  const router = createRouter({
    history: createMemoryHistory(),
    routes:  [
      { name: 'c-cluster-product-resource-namespace-id', path: '/c/:cluster/:product/:resource/:namespace/:id', component: page },
      { path: '/:p(.*)*', component: page },
    ],
  });

  await router.push('/c/_/manager/cluster-audit-log');

  return router;
}
