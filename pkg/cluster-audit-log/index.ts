import { importTypes } from '@rancher/auto-import';
import { IPlugin, TableColumnLocation, TabLocation } from '@shell/core/types';
import { FLEET_PAGE, FLEET_ROUTE } from './product';

/** The formatter of the Clusters list's Audit column (registered under this name, loaded when the list draws it). */
const AUDIT_COLUMN_FORMATTER = 'ClusterAuditLogColumn';

/**
 * Registration only: this entry chunk loads on every dashboard page, so everything else is a lazy chunk
 * (the tabs' components, the Audit Log page, the Clusters list's column, the engine they import, the translations).
 */
export default function(plugin: IPlugin): void {
  importTypes(plugin);
  plugin.metadata = require('./package.json');

  plugin.addL10n('en-us', () => import(/* webpackChunkName: "l10n-en-us" */ '../../l10n/en-us.yaml'));
  plugin.addL10n('zh-hans', () => import(/* webpackChunkName: "l10n-zh-hans" */ '../../l10n/zh-hans.yaml'));

  // The RKE2/K3s cluster create and edit page (a queryParam rule would have to equal the whole query, so none).
  plugin.addTab(TabLocation.CLUSTER_CREATE_RKE2, { resource: ['provisioning.cattle.io.cluster'] }, {
    name:      'cluster-audit-log',
    labelKey:  'clusterAuditLog.tabLabel',
    weight:    -10,
    component: () => import(/* webpackChunkName: "audit-log-tab" */ './components/AuditLogTab.vue'),
  });

  // Cluster Management -> Audit Log: every cluster's audit log, shared policies, roll-out, drift, export.
  plugin.addProduct(require('./product'));
  plugin.addRoute('default', {
    name:      FLEET_ROUTE,
    path:      `/c/:cluster/manager/${ FLEET_PAGE }`,
    component: () => import(/* webpackChunkName: "audit-log-fleet" */ './components/FleetPage.vue'),
    meta:      { product: 'manager' },
  });

  // The Clusters list's Audit column: on/off and where the policy comes from, read off each row.
  plugin.register('formatters', AUDIT_COLUMN_FORMATTER, () => import(/* webpackChunkName: "audit-log-column" */ './components/fleet/AuditColumn.vue'));
  plugin.addTableColumn(TableColumnLocation.RESOURCE, { resource: ['provisioning.cattle.io.cluster'] }, {
    name:      'cluster-audit-log',
    labelKey:  'clusterAuditLog.fleet.column.label',
    value:     'id',
    formatter: AUDIT_COLUMN_FORMATTER,
    sort:      false,
    search:    false,
  });

  // RKE1 clusters: their edit page is Rancher's legacy one, so the tab goes on the cluster's detail page.
  plugin.addTab(TabLocation.RESOURCE_DETAIL, { resource: ['provisioning.cattle.io.cluster'] }, {
    name:      'cluster-audit-log-rke1',
    labelKey:  'clusterAuditLog.tabLabel',
    weight:    -10,
    component: () => import(/* webpackChunkName: "audit-log-rke1-tab" */ './components/Rke1AuditLogTab.vue'),
  });
}
