/**
 * The log rotation a cluster's kube-apiserver gets, against the CIS Kubernetes Benchmark minimums: the value
 * configured, else the distro's default where the distro applies one (RKE2's own audit-policy-file option, RKE1's
 * block; distroAppliesLogDefaults), else kube-apiserver's own flag default (delivery/retention.ts
 * APISERVER_FLAG_DEFAULTS): from Kubernetes 1.36 maxage 366, maxbackup 100, maxsize 100; before 1.36 none, the
 * value is then null (kube-apiserver keeps logs without that limit).
 */
import { CIS_LOG_MINIMUMS, DISTROS } from '../delivery/distro';
import { compareDigits, LOG_NUMBER_FIELDS, parseWholeNumber } from '../delivery/numbers';
import { distroAppliesLogDefaults } from '../delivery/plan';
import { apiserverOf, effectiveRotation } from '../delivery/retention';
import type { AuditSettings, Distro, LogNumberField } from '../delivery/types';
import { problem } from './problems';
import type { FleetProblem, Rotation } from './types';

/**
 * The rotation numbers in effect for the settings readSettings found, on a cluster of `kubernetesVersion`
 * (delivery/retention.ts kubernetesVersionOf; missing: before 1.36). A value neither set nor defaulted is null
 * before Kubernetes 1.36 (no flag default) and kube-apiserver's default from 1.36.
 */
export function rotationOf(distro: Distro, settings: AuditSettings, kubernetesVersion: string | null | undefined): Rotation {
  const unset = distroAppliesLogDefaults(distro, settings) ? 'default' : 'unset';
  const effective = effectiveRotation(settings.log, DISTROS[distro].logDefaults, unset, apiserverOf(kubernetesVersion));
  const value = (field: LogNumberField): string | null => (effective.from[field] === 'apiserver' && effective.apiserver === 'before-1.36' ? null : effective.values[field]);
  const values = {
    maxAge: value('maxAge'), maxBackup: value('maxBackup'), maxSize: value('maxSize')
  };

  return { ...values, cisOk: LOG_NUMBER_FIELDS.every((f) => meetsCis(f, values[f])) };
}

function meetsCis(field: LogNumberField, value: string | null): boolean {
  const read = value === null ? null : parseWholeNumber(value);

  return !!read?.ok && compareDigits(read.digits, String(CIS_LOG_MINIMUMS[field])) >= 0;
}

/** rotation-below-cis naming every number below its minimum (not set, or not a whole number, counts as below). */
export function rotationProblem(rotation: Rotation): FleetProblem<'rotation-below-cis'> | null {
  const below = LOG_NUMBER_FIELDS.filter((f) => !meetsCis(f, rotation[f])).map((field) => ({
    field, value: rotation[field], minimum: CIS_LOG_MINIMUMS[field]
  }));

  return below.length ? problem('rotation-below-cis', { below }) : null;
}
