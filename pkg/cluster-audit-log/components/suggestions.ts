/** Suggestions for the rule form: built-in users, groups, API groups and their resources. Free text is allowed too. */

export const SUGGESTED_USERS = ['system:anonymous', 'system:apiserver', 'system:kube-proxy', 'system:kube-scheduler', 'system:kube-controller-manager', 'system:serviceaccount:kube-system:generic-garbage-collector'];

export const SUGGESTED_GROUPS = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:nodes', 'system:masters'];

/** Built-in API groups ("" is the core group) and their common resources and subresources. */
export const SUGGESTED_RESOURCES: Record<string, string[]> = {
  '':                             ['pods', 'pods/exec', 'pods/attach', 'pods/log', 'pods/portforward', 'pods/proxy', 'pods/status', 'secrets', 'configmaps', 'services', 'services/proxy', 'serviceaccounts', 'serviceaccounts/token', 'nodes', 'nodes/status', 'nodes/proxy', 'namespaces', 'events', 'endpoints', 'persistentvolumes', 'persistentvolumeclaims'],
  apps:                           ['deployments', 'deployments/scale', 'daemonsets', 'statefulsets', 'replicasets'],
  batch:                          ['jobs', 'cronjobs'],
  'rbac.authorization.k8s.io':    ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
  'authentication.k8s.io':        ['tokenreviews'],
  'authorization.k8s.io':         ['subjectaccessreviews', 'selfsubjectaccessreviews'],
  'networking.k8s.io':            ['ingresses', 'networkpolicies'],
  'coordination.k8s.io':          ['leases'],
  'admissionregistration.k8s.io': ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
  'apiextensions.k8s.io':         ['customresourcedefinitions'],
  'storage.k8s.io':               ['storageclasses', 'volumeattachments'],
  policy:                         ['poddisruptionbudgets'],
  'management.cattle.io':         ['clusters', 'users', 'tokens'],
  '*':                            ['*', '*/status', '*/scale'],
};

export const SUGGESTED_URLS = ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics', '/api*', '/apis*', '/openapi*', '*'];
