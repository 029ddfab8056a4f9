/**
 * The world the page's unit tests share: the generated fleet of the stand-in (tests/rancher/fleet-seed.ts), 40
 * clusters with 3 clusters to a shared Secret, as the browser scenarios seed it. By index in a block of 20:
 * 0-3 off, 4-7 inline, 8-11 shared, 12-13 ConfigMap, 14 RKE1, 15 external, 16 spaced entry, 17 stale hash,
 * 18-19 a Secret of their own; names fleet-0001..fleet-0040.
 */
import { KubeObject } from '@pkg/delivery';
import { fleetStatus, FleetStatus, FleetWorld } from '@pkg/fleet';
import { fleetWorld } from '../../rancher/fleet-seed';

/** A fresh copy of the world (tests may change it). */
export function pageWorld(): FleetWorld {
  const fleet = fleetWorld(40, { sharedBy: 3 });

  return JSON.parse(JSON.stringify({ clusters: fleet.clusters, objects: [...fleet.secrets, ...fleet.configMaps] })) as FleetWorld;
}

/** The world and its status. */
export function pageFleet(): { world: FleetWorld, status: FleetStatus } {
  const world = pageWorld();

  return { world, status: fleetStatus(world) };
}

/** The provisioning cluster of that name. */
export function prov(world: FleetWorld, name: string): KubeObject {
  return world.clusters.find((c) => c.apiVersion?.startsWith('provisioning.') && c.metadata.name === name) as KubeObject;
}

/** The object of that kind and name. */
export function object(world: FleetWorld, kind: 'Secret' | 'ConfigMap', name: string): KubeObject | undefined {
  return world.objects.find((o) => o.kind === kind && o.metadata.name === name);
}

/** The management id of the generated RKE1 cluster of a block (index 14: fleet-0015, fleet-0035). */
export function rke1Id(world: FleetWorld, name: string): string {
  return (world.clusters.find((c) => (c.spec as { displayName?: string })?.displayName === name && c.apiVersion?.startsWith('management.')) as KubeObject).metadata.name;
}
