// The extension entry (pkg/cluster-audit-log/index.ts): registers metadata and lazy translations, nothing eager.
import type { IPlugin } from '@shell/core/types';
import register from '@pkg/index';

type Loader = () => Promise<{ default: Record<string, { tabLabel?: string }> }>;

function fakePlugin() {
  const l10n: Record<string, Loader[]> = {};
  const plugin = {
    metadata: undefined as unknown,
    addL10n:  jest.fn((locale: string, fn: Loader) => {
      (l10n[locale] = l10n[locale] || []).push(fn);
    }),
  };

  return { plugin, l10n };
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
});
