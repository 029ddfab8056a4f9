import { importTypes } from '@rancher/auto-import';
import { IPlugin, TabLocation } from '@shell/core/types';

/**
 * Registration only: this entry chunk loads on every dashboard page, so everything else is a lazy chunk
 * (the tabs' components, the engine they import, the translations).
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

  // RKE1 clusters: their edit page is Rancher's legacy one, so the tab goes on the cluster's detail page.
  plugin.addTab(TabLocation.RESOURCE_DETAIL, { resource: ['provisioning.cattle.io.cluster'] }, {
    name:      'cluster-audit-log-rke1',
    labelKey:  'clusterAuditLog.tabLabel',
    weight:    -10,
    component: () => import(/* webpackChunkName: "audit-log-rke1-tab" */ './components/Rke1AuditLogTab.vue'),
  });
}
