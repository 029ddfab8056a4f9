/**
 * The hint under an empty log field (components/log-hints.ts): what kube-apiserver does without the flag, by its
 * Kubernetes version (delivery/retention.ts); every key exists in both l10n files.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { apiserverOfCluster, unsetLogHint } from '@pkg/components/log-hints';
import type { Apiserver } from '@pkg/delivery/retention';
import { rke1Cluster, rke2Cluster } from '../../support/clusters';

type Row = [field: 'path' | 'maxAge' | 'maxBackup' | 'maxSize', apiserver: Apiserver, key: string, params: Record<string, string>];

const rows: Row[] = [
  ['path', 'before-1.36', 'clusterAuditLog.log.unsetPath', {}],
  ['path', '1.36+', 'clusterAuditLog.log.unsetPath', {}],
  ['maxAge', 'before-1.36', 'clusterAuditLog.log.unsetBefore136.maxAge', {}],
  ['maxBackup', 'before-1.36', 'clusterAuditLog.log.unsetBefore136.maxBackup', {}],
  ['maxSize', 'before-1.36', 'clusterAuditLog.log.unsetBefore136.maxSize', { value: '100' }],
  ['maxAge', '1.36+', 'clusterAuditLog.log.unsetFrom136.maxAge', { value: '366' }],
  ['maxBackup', '1.36+', 'clusterAuditLog.log.unsetFrom136.maxBackup', { value: '100' }],
  ['maxSize', '1.36+', 'clusterAuditLog.log.unsetFrom136.maxSize', { value: '100' }],
];

const l10n = (locale: string) => parse(readFileSync(join(__dirname, '../../../l10n', `${ locale }.yaml`), 'utf8')) as Record<string, unknown>;
const lookup = (tree: Record<string, unknown>, key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);

describe('unsetLogHint', () => {
  it.each(rows)('%s, kube-apiserver %s: %s %j', (field, apiserver, key, params) => {
    expect(unsetLogHint(field, apiserver)).toEqual({ key, params });
  });

  it.each(['en-us', 'zh-hans'])('%s has every key, each with a {value} where the hint gives one', (locale) => {
    const tree = l10n(locale);

    for (const [field, apiserver] of rows) {
      const hint = unsetLogHint(field, apiserver);
      const text = lookup(tree, hint.key);

      expect(typeof text).toBe('string');
      expect((text as string).includes('{value}')).toBe('value' in hint.params);
    }
  });
});

describe('apiserverOfCluster', () => {
  const at = (version: string | undefined) => {
    const c = rke2Cluster('c');

    (c.spec as Record<string, unknown>).kubernetesVersion = version;

    return c;
  };

  it.each([
    ['v1.35.4+rke2r1', 'before-1.36'],
    ['v1.36.0+rke2r1', '1.36+'],
    ['v1.37.1+k3s1', '1.36+'],
    [undefined, 'before-1.36'],
  ])('%s: %s', (version, want) => {
    expect(apiserverOfCluster(at(version))).toBe(want);
  });

  it('an RKE1 cluster by its RKE config\'s version; none at all: before 1.36', () => {
    expect(apiserverOfCluster(rke1Cluster())).toBe('before-1.36');
    expect(apiserverOfCluster(null)).toBe('before-1.36');
  });
});
