/**
 * The real Rancher data the stand-in serves, read from tests/fixtures/rancher-data (see its SOURCES.md).
 * Nothing here is made up: KDM release lists, Rancher setting and feature defaults, CRD-derived schema shapes and
 * the dashboard's own fixtures. Values the stand-in has to choose itself live in server.ts/seed.ts and say so.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import yaml from 'js-yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = { [key: string]: any };

export const FIXTURES = join(__dirname, '../fixtures/rancher-data');

function json(rel: string): Obj {
  return JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8'));
}

export interface Release { id: string, serverArgs?: Obj, agentArgs?: Obj, charts?: Obj, [key: string]: unknown }

export interface RancherData {
  rke2Releases: Obj;
  k3sReleases: Obj;
  rke2Channels: Obj;
  k3sChannels: Obj;
  settingDefaults: { name: string, default: string | null, defaultSource: string }[];
  exprDefaults: Record<string, string>;
  features: { name: string, default: string, dynamic: string, install: string, description: string }[];
  provisioningCrd: Obj;
  provisioningSchema: Obj;
  managementClusterSchema: Obj;
  secretSchema: Obj;
  nodeDriver: Obj;
  namespaces: Obj;
}

let cached: RancherData | undefined;

export function loadData(): RancherData {
  if (cached) {
    return cached;
  }
  const crd = yaml.load(readFileSync(join(FIXTURES, 'crds/provisioning.cattle.io_clusters.rancher-v2.15.yaml'), 'utf8')) as Obj;

  cached = {
    rke2Releases:            json('rke2-releases.json'),
    k3sReleases:             json('k3s-releases.json'),
    rke2Channels:            json('rke2-channels.json'),
    k3sChannels:             json('k3s-channels.json'),
    settingDefaults:         json('settings/rancher-v2.15-settings-defaults.json') as RancherData['settingDefaults'],
    exprDefaults:            json('settings/rancher-expr-defaults.json').settings,
    features:                json('settings/rancher-v2.15-features.json') as RancherData['features'],
    provisioningCrd:         crd,
    provisioningSchema:      json('schema-examples/provisioning.cattle.io.cluster.steve-schema.DERIVED.json').example,
    managementClusterSchema: json('schema-examples/management.cattle.io.cluster.steve-schema.DERIVED.json').example,
    secretSchema:            json('schema-examples/secret.steve-schema.DERIVED.json').example,
    nodeDriver:              json('dashboard-fixtures/nodedriver.item.json'),
    namespaces:              json('dashboard-fixtures/namespaces.sample.json'),
  };

  return cached;
}

/** Stable releases (no -rc) from a KDM list, in list order (oldest first). */
export function stableReleases(list: Obj): Release[] {
  return (list.data as Release[]).filter((r) => !/-rc/.test(r.id));
}

export function newestStable(list: Obj): string {
  const stable = stableReleases(list);

  return stable[stable.length - 1].id;
}

export function findRelease(kubernetesVersion: string): Release | undefined {
  const data = loadData();
  const list = kubernetesVersion.includes('k3s') ? data.k3sReleases : data.rke2Releases;

  return (list.data as Release[]).find((r) => r.id === kubernetesVersion);
}
