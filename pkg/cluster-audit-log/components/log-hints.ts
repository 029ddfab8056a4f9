/**
 * The hint under an empty log field that stays unset on save (delivery/plan.ts unsetLogValues 'unset'): what
 * kube-apiserver does without the flag, which depends on its Kubernetes version (delivery/retention.ts).
 */
import {
  APISERVER_FLAG_DEFAULTS, Apiserver, apiserverOf, kubernetesVersionOf, LUMBERJACK_DEFAULT_MAX_SIZE
} from '../delivery/retention';
import type { KubeObject, LogNumberField } from '../delivery/types';

/** An l10n key under clusterAuditLog.log and its parameters. */
export interface HintText {
  key: string;
  params: Record<string, string>;
}

/** Before 1.36 an unset flag is 0: no removal by age or count; maxsize 0 is lumberjack's default size. */
const BEFORE_136: Record<LogNumberField, string> = {
  maxAge:    'clusterAuditLog.log.unsetBefore136.maxAge',
  maxBackup: 'clusterAuditLog.log.unsetBefore136.maxBackup',
  maxSize:   'clusterAuditLog.log.unsetBefore136.maxSize',
};

/** From 1.36 an unset flag takes kube-apiserver's default (NewAuditOptions). */
const FROM_136: Record<LogNumberField, string> = {
  maxAge:    'clusterAuditLog.log.unsetFrom136.maxAge',
  maxBackup: 'clusterAuditLog.log.unsetFrom136.maxBackup',
  maxSize:   'clusterAuditLog.log.unsetFrom136.maxSize',
};

/** The kube-apiserver generation of the cluster as it will be saved (missing: before 1.36). */
export function apiserverOfCluster(cluster: KubeObject | null | undefined): Apiserver {
  return apiserverOf(kubernetesVersionOf(cluster));
}

/** What kube-apiserver of `apiserver` does when the log field is not given. */
export function unsetLogHint(field: 'path' | LogNumberField, apiserver: Apiserver): HintText {
  if (field === 'path') {
    return { key: 'clusterAuditLog.log.unsetPath', params: {} };
  }
  if (apiserver === '1.36+') {
    return { key: FROM_136[field], params: { value: APISERVER_FLAG_DEFAULTS['1.36+'][field] } };
  }

  return { key: BEFORE_136[field], params: field === 'maxSize' ? { value: LUMBERJACK_DEFAULT_MAX_SIZE.toString() } : {} };
}
