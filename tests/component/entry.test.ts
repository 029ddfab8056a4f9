// The extension entry (pkg/cluster-audit-log/index.ts): registers metadata, lazy translations, lazy tabs, the Audit
// Log page in Cluster Management (product DSL + route) and the Clusters list's Audit column, nothing eager.
import { IPlugin, TableColumnLocation, TabLocation } from '@shell/core/types';
import register from '@pkg/index';

type Loader = () => Promise<{ default: Record<string, { tabLabel?: string }> }>;

interface TabCall { where: string, when: { resource: string[] }, tab: { name: string, labelKey: string, component: () => Promise<{ default: { name?: string } }> } }

type Lazy = () => Promise<{ default: { name?: string } }>;

interface Registrations {
  products: { init(plugin: unknown, store: unknown): void }[];
  routes: { parent: string, route: { name: string, path: string, component: Lazy, meta: Record<string, string> } }[];
  dynamic: { type: string, name: string, fn: Lazy }[];
  columns: { where: string, when: { resource: string[] }, column: Record<string, unknown> }[];
}

function fakePlugin() {
  const l10n: Record<string, Loader[]> = {};
  const tabs: TabCall[] = [];
  const done: Registrations = {
    products: [], routes: [], dynamic: [], columns: []
  };
  const plugin = {
    metadata: undefined as unknown,
    addL10n:  jest.fn((locale: string, fn: Loader) => {
      (l10n[locale] = l10n[locale] || []).push(fn);
    }),
    addTab: jest.fn((where: string, when: TabCall['when'], tab: TabCall['tab']) => {
      tabs.push({ where, when, tab });
    }),
    addProduct:     jest.fn((p: Registrations['products'][number]) => done.products.push(p)),
    addRoute:       jest.fn((parent: string, route: Registrations['routes'][number]['route']) => done.routes.push({ parent, route })),
    register:       jest.fn((type: string, name: string, fn: Lazy) => done.dynamic.push({ type, name, fn })),
    addTableColumn: jest.fn((where: string, when: { resource: string[] }, column: Record<string, unknown>) => done.columns.push({ where, when, column })),
  };

  return {
    plugin, l10n, tabs, done
  };
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

  it('adds the Audit Log page to Cluster Management: a virtual type of the manager product and its lazy route', async() => {
    const { plugin, done } = fakePlugin();
    const dsl = { virtualType: jest.fn(), basicType: jest.fn() };
    const store = {};

    register(plugin as unknown as IPlugin);
    expect(done.products).toHaveLength(1);
    done.products[0].init({ DSL: jest.fn((s: unknown, product: string) => (s === store && product === 'manager' ? dsl : null)) }, store);
    expect(dsl.virtualType).toHaveBeenCalledWith({
      name: 'cluster-audit-log', labelKey: 'clusterAuditLog.fleet.title', namespaced: false, weight: 98, route: { name: 'c-cluster-manager-cluster-audit-log', params: { cluster: '_', product: 'manager' } }
    });
    expect(dsl.basicType).toHaveBeenCalledWith(['cluster-audit-log']);
    expect(done.routes.map((r) => [r.parent, r.route.name, r.route.path, r.route.meta])).toStrictEqual([
      ['default', 'c-cluster-manager-cluster-audit-log', '/c/:cluster/manager/cluster-audit-log', { product: 'manager' }],
    ]);
    expect((await done.routes[0].route.component()).default.name).toBe('ClusterAuditLogFleetPage');
  });

  it('adds the Audit column to the Clusters list, drawn by a lazy formatter', async() => {
    const { plugin, done } = fakePlugin();

    register(plugin as unknown as IPlugin);
    expect(done.columns).toStrictEqual([{
      where:  TableColumnLocation.RESOURCE, when:   { resource: ['provisioning.cattle.io.cluster'] }, column: {
        name: 'cluster-audit-log', labelKey: 'clusterAuditLog.fleet.column.label', value: 'id', formatter: 'ClusterAuditLogColumn', sort: false, search: false
      }
    }]);
    expect(done.dynamic.map((d) => [d.type, d.name])).toStrictEqual([['formatters', 'ClusterAuditLogColumn']]);
    expect((await done.dynamic[0].fn()).default.name).toBe('ClusterAuditLogColumn');
  });
});
