// The extension entry (pkg/cluster-audit-log/index.ts): registers metadata, lazy translations and lazy tabs, nothing eager.
import { IPlugin, TabLocation } from '@shell/core/types';
import register from '@pkg/index';

type Loader = () => Promise<{ default: Record<string, { tabLabel?: string }> }>;

interface TabCall { where: string, when: { resource: string[] }, tab: { name: string, labelKey: string, component: () => Promise<{ default: { name?: string } }> } }

function fakePlugin() {
  const l10n: Record<string, Loader[]> = {};
  const tabs: TabCall[] = [];
  const plugin = {
    metadata: undefined as unknown,
    addL10n:  jest.fn((locale: string, fn: Loader) => {
      (l10n[locale] = l10n[locale] || []).push(fn);
    }),
    addTab: jest.fn((where: string, when: TabCall['when'], tab: TabCall['tab']) => {
      tabs.push({ where, when, tab });
    }),
  };

  return { plugin, l10n, tabs };
}

describe('extension entry', () => {
  it('sets metadata from the package package.json', () => {
    const { plugin } = fakePlugin();

    register(plugin as unknown as IPlugin);

    expect(plugin.metadata).toMatchObject({ name: 'cluster-audit-log', rancher: { annotations: { 'catalog.cattle.io/display-name': 'Cluster Audit Log' } } });
  });

  it('registers en-us and zh-hans as loaders that resolve to the translations', async() => {
    const { plugin, l10n } = fakePlugin();

    register(plugin as unknown as IPlugin);

    expect(Object.keys(l10n).sort()).toStrictEqual(['en-us', 'zh-hans']);
    expect((await l10n['en-us'][0]()).default.clusterAuditLog.tabLabel).toBe('Audit Log');
    expect((await l10n['zh-hans'][0]()).default.clusterAuditLog.tabLabel).toBe('审计日志');
  });

  it('adds the Audit Log tab to the RKE2/K3s create/edit page and, for RKE1, to the cluster detail page; both lazy', async() => {
    const { plugin, tabs } = fakePlugin();

    register(plugin as unknown as IPlugin);

    expect(tabs.map((t) => [t.where, t.when.resource, t.tab.name, t.tab.labelKey])).toStrictEqual([
      [TabLocation.CLUSTER_CREATE_RKE2, ['provisioning.cattle.io.cluster'], 'cluster-audit-log', 'clusterAuditLog.tabLabel'],
      [TabLocation.RESOURCE_DETAIL, ['provisioning.cattle.io.cluster'], 'cluster-audit-log-rke1', 'clusterAuditLog.tabLabel'],
    ]);
    expect((await tabs[0].tab.component()).default.name).toBe('ClusterAuditLogTab');
    expect((await tabs[1].tab.component()).default.name).toBe('ClusterAuditLogRke1Tab');
  });
});
