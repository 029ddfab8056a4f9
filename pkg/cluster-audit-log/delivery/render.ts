/**
 * Renders a plan as the YAML a GitOps user applies (Terraform, Fleet, kubectl): the Secret or ConfigMap if
 * any, then the cluster object — the whole given cluster with the changes merged, or a minimal object with
 * only the fields the plan sets.
 */
import { Document } from 'yaml';
import {
  clone, getPath, pathText, PATHS, setPath
} from './cluster';
import { KubeObject, Plan } from './types';

const STEVE_FIELDS = ['id', 'type', 'links', 'actions', 'relationships', 'state', 'fields'];

/** Drops what the steve API adds (links, type, metadata.state...) so the object can be applied with kubectl. */
export function toManifest(obj: KubeObject): KubeObject {
  const out = clone(obj) as KubeObject & Record<string, unknown>;

  for (const f of STEVE_FIELDS) {
    delete out[f];
    delete (out.metadata as Record<string, unknown>)[f];
  }
  for (const f of ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields']) {
    delete (out.metadata as Record<string, unknown>)[f];
  }
  delete out.status;

  return out;
}

/** The cluster object holding only its identity and the fields the plan sets (for `kubectl patch --type merge`). */
export function minimalCluster(plan: Plan): KubeObject {
  const full = plan.cluster;
  const out: KubeObject = {
    apiVersion: full.apiVersion, kind: full.kind, metadata: { name: full.metadata.name, namespace: full.metadata.namespace }
  };

  if (!out.metadata.namespace) {
    delete out.metadata.namespace;
  }
  for (const path of [PATHS.inlinePolicy, PATHS.apiserverArgs, PATHS.machineSelectorFiles, PATHS.rke1AuditLog]) {
    if (plan.clusterPaths.includes(pathText(path))) {
      setPath(out as unknown as Record<string, unknown>, path, getPath(full, path) ?? null);
    }
  }

  return out;
}

/** Multi-document YAML: objects written before the cluster, the cluster, then objects released after it. */
export function renderPlan(plan: Plan, options: { full: boolean }): string {
  const docs: { comment: string, body: unknown }[] = [];

  for (const change of plan.objects.filter((c) => c.phase === 'before')) {
    docs.push({ comment: `${ change.action }: ${ change.reason }`, body: toManifest(change.after as KubeObject) });
  }
  docs.push({
    comment: options.full ? 'the cluster with the audit settings merged in' : `only the fields this changes; apply with kubectl patch --type merge (a merge patch replaces lists whole: pass --cluster-file to keep the cluster's other ${ pathText(PATHS.apiserverArgs).split('.').pop() } entries and machineSelectorFiles)`,
    body:    options.full ? toManifest(plan.cluster) : minimalCluster(plan),
  });
  const after = plan.objects.filter((c) => c.phase === 'after').map((c) => `# then, once the cluster is saved: ${ c.action } ${ c.kind } ${ c.namespace }/${ c.name } (${ c.reason })\n`);

  return docs.map(({ comment, body }) => {
    const doc = new Document(body);

    doc.commentBefore = ` ${ comment }`;

    return doc.toString({ lineWidth: 0 });
  }).join('---\n') + after.join('');
}
