/** The small pieces of delivery: distro detection, args merge, the authorization annotation, hashes. */
import { createHash } from 'crypto';
import {
  authorize, deauthorize, detectDistro, fileHash, isAuthorized, KubeObject, mergeArgs, inlinePolicyPath, defaultLogPath
} from '@pkg/delivery';
import { K3S_VERSION, rke1Cluster, rke2Cluster, RKE2_VERSION } from '../../support/clusters';

const withVersion = (kubernetesVersion: string | undefined, rkeConfig: unknown = {}): KubeObject => ({ metadata: { name: 'x' }, spec: { kubernetesVersion, rkeConfig } });

describe('detectDistro', () => {
  it.each([
    ['RKE2 from the KDM list', withVersion(RKE2_VERSION), 'rke2'],
    ['K3s from the KDM list', withVersion(K3S_VERSION), 'k3s'],
    ['RKE2 being created, no version chosen yet', withVersion(undefined), 'rke2'],
    ['RKE1 management cluster', rke1Cluster(), 'rke1'],
    ['imported cluster (no rkeConfig, no version)', { metadata: { name: 'x' }, spec: {} }, null],
    ['hosted (EKS) version', withVersion('1.30', null), null],
    ['the dashboard\'s test cluster', rke2Cluster(), 'rke2'],
  ] as [string, KubeObject, string | null][])('%s -> %s', (_name, cluster, distro) => {
    expect(detectDistro(cluster)).toBe(distro);
  });

  it('a custom data dir moves the inline file and the default log', () => {
    const cluster = withVersion(RKE2_VERSION, { dataDirectories: { k8sDistro: '/data/rke2' } });

    expect(inlinePolicyPath(cluster)).toBe('/data/rke2/etc/config-files/audit-policy-file');
    expect(defaultLogPath(cluster, 'rke2')).toBe('/data/rke2/server/logs/audit.log');
    expect(inlinePolicyPath(withVersion(RKE2_VERSION))).toBe('/var/lib/rancher/rke2/etc/config-files/audit-policy-file');
  });
});

describe('mergeArgs (kube-apiserver-arg)', () => {
  it.each([
    ['absent list', [], { 'audit-log-path': '/a.log' }, ['audit-log-path=/a.log']],
    ['other args keep their order; ours go last', ['enable-admission-plugins=NodeRestriction', 'v=2'], { 'audit-policy-file': '/p.yaml', 'audit-log-maxage': '30' }, ['enable-admission-plugins=NodeRestriction', 'v=2', 'audit-policy-file=/p.yaml', 'audit-log-maxage=30']],
    ['ours replace ours in place', ['a=1', 'audit-log-maxage=5', 'b=2', 'audit-log-path=/x'], { 'audit-log-maxage': '30' }, ['a=1', 'audit-log-maxage=30', 'b=2']],
    ['hand-typed --flags and duplicates are replaced once', ['--audit-log-maxage=1', 'audit-log-maxage=2', 'x=y'], { 'audit-log-maxage': '30' }, ['audit-log-maxage=30', 'x=y']],
    ['audit-* args this extension does not own are not ours', ['audit-webhook-version=audit.k8s.io/v1', 'audit-log-mode=batch'], {}, ['audit-webhook-version=audit.k8s.io/v1', 'audit-log-mode=batch']],
    ['the webhook args are ours', ['audit-webhook-config-file=/w.yaml', 'audit-webhook-mode=blocking', 'v=2'], { 'audit-webhook-config-file': '/x.yaml' }, ['audit-webhook-config-file=/x.yaml', 'v=2']],
    ['disabling removes ours only', ['a=1', 'audit-policy-file=/p', 'audit-log-path=/l', 'b=2'], {}, ['a=1', 'b=2']],
  ] as [string, string[], Record<string, string>, string[]][])('%s', (_name, existing, wanted, expected) => {
    expect(mergeArgs(existing, wanted)).toEqual(expected);
  });
});

describe(`rke.cattle.io/object-authorized-for-clusters`, () => {
  it.each([
    ['empty', undefined, 'c', 'c'],
    ['a,b + c', 'a,b', 'c', 'a,b,c'],
    ['an existing " b" keeps its space; no space is added', 'a, b', 'c', 'a, b,c'],
    ['already listed: unchanged', 'a,c,b', 'c', 'a,c,b'],
    ['" c" with a space is NOT this cluster (Rancher does not trim)', 'a, c', 'c', 'a, c,c'],
  ])('authorize: %s', (_name, before, cluster, after) => {
    expect(authorize(before, cluster)).toBe(after);
    expect(isAuthorized(after, cluster)).toBe(true);
  });

  it.each([
    ['only this cluster', 'c', 'c', ''],
    ['others are kept byte for byte', 'a, b,c', 'c', 'a, b'],
    ['not listed', 'a,b', 'c', 'a,b'],
  ])('deauthorize: %s', (_name, before, cluster, after) => {
    expect(deauthorize(before, cluster)).toBe(after);
  });
});

describe('fileHash (base64 SHA-256, as Rancher checks machineSelectorFiles items)', () => {
  it.each(['', 'abc', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n', 'ünïcødé 审计 😀', 'x'.repeat(1000)])('%j matches node:crypto', (text) => {
    expect(fileHash(text)).toBe(createHash('sha256').update(text, 'utf8').digest('base64'));
  });
});
