/**
 * The log rotation a cluster's kube-apiserver gets, against the CIS Kubernetes Benchmark minimums: the value
 * configured, else the distro's default where the distro applies one (RKE2's own audit-policy-file option, RKE1's
 * block; distroAppliesLogDefaults), else none: kube-apiserver then keeps logs without that limit.
 */
import { CIS_LOG_MINIMUMS, DISTROS } from '../delivery/distro';
import { compareDigits, LOG_NUMBER_FIELDS, parseWholeNumber } from '../delivery/numbers';
import { distroAppliesLogDefaults } from '../delivery/plan';
import type { AuditSettings, Distro, LogNumberField } from '../delivery/types';
import { problem } from './problems';
import type { FleetProblem, Rotation } from './types';

/** The rotation numbers in effect for the settings readSettings found. */
export function rotationOf(distro: Distro, settings: AuditSettings): Rotation {
  const applies = distroAppliesLogDefaults(distro, settings);
  const value = (field: LogNumberField): string | null => settings.log[field] ?? (applies ? DISTROS[distro].logDefaults[field] : null);
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
