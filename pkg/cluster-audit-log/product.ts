/**
 * The Audit Log page in Cluster Management: a virtual type of the `manager` product (in its side menu) whose route,
 * added by index.ts, loads the page lazily. Kept to the product DSL and addRoute, which every Rancher since 2.10 has.
 */
import type { IPlugin } from '@shell/core/types';

/** The page's name in the manager product (virtual type and route). */
export const FLEET_PAGE = 'cluster-audit-log';

/** The route the side menu and links go to. */
export const FLEET_ROUTE = `c-cluster-manager-${ FLEET_PAGE }`;

/** Called by the extension manager with the store once the product registry is ready. */
export function init(plugin: IPlugin, store: unknown): void {
  const { virtualType, basicType } = plugin.DSL(store, 'manager');

  virtualType({
    name:       FLEET_PAGE,
    labelKey:   'clusterAuditLog.fleet.title',
    namespaced: false,
    weight:     98,
    route:      { name: FLEET_ROUTE, params: { cluster: '_', product: 'manager' } },
  });
  basicType([FLEET_PAGE]);
}
