/** The audit fields of a cluster as YAML, for the "Changes on save" diff (the same text before and after the plan). */
import { Document } from 'yaml';
import { FieldPath, getPath, PATHS } from './cluster';
import { KubeObject } from './types';

/** The fields each kind of cluster shows: RKE2/K3s provisioning clusters, RKE1 management clusters. */
export const SPEC_YAML_FIELDS: Record<'rkeConfig' | 'rke1', FieldPath[]> = {
  rkeConfig: [PATHS.inlinePolicy, PATHS.apiserverArgs, PATHS.machineSelectorFiles],
  rke1:      [PATHS.rke1AuditLog],
};

/**
 * The given fields of a cluster as one YAML mapping keyed by dotted path (absent fields left out, or shown as null
 * with `showAbsent`), in a stable layout with no line folding so the diff shows whole args.
 */
export function specYaml(cluster: KubeObject | null | undefined, fields: FieldPath[], showAbsent = false): string {
  const pick: Record<string, unknown> = {};

  for (const path of fields) {
    const value = getPath(cluster, path);

    if (value !== undefined || showAbsent) {
      pick[path.join('.')] = value ?? null;
    }
  }

  return new Document(pick).toString({ lineWidth: 0 });
}
