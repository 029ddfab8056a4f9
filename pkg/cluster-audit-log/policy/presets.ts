/**
 * Starting points for a policy. Each passes `check` and has no lint error (tests/unit/presets.test.ts).
 * The UI shows `clusterAuditLog.preset.<id>.*` from l10n; `description` here is the CLI's English text.
 */
import {
  AUDIT_API_VERSION, GroupResources, Policy, POLICY_KIND, PolicyRule
} from './types';

export interface Preset {
  id: string;
  name: string;
  description: string;
  /** Rough volume relative to each other, measured with `estimate` on tests/fixtures/events (see README). */
  volume: 'low' | 'medium' | 'high' | 'very high';
  policy: Policy;
}

const policy = (rules: PolicyRule[], extra: Partial<Policy> = {}): Policy => ({
  apiVersion: AUDIT_API_VERSION, kind: POLICY_KIND, rules, ...extra
});

const RR: ['RequestReceived'] = ['RequestReceived'];

const SENSITIVE_AT_METADATA: PolicyRule = {
  level:      'Metadata',
  resources:  [{ group: '', resources: ['secrets', 'configmaps'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }],
  omitStages: RR,
};

/** The API groups GKE's configure-helper.sh calls known_apis. */
const KNOWN_APIS: GroupResources[] = [
  '', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io',
  'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'extensions', 'metrics.k8s.io', 'networking.k8s.io',
  'node.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io',
].map((group) => ({ group }));

const cisMinimal = policy([
  SENSITIVE_AT_METADATA,
  { level: 'Metadata', omitStages: RR },
]);

const k8sDocs = policy([
  { level: 'RequestResponse', resources: [{ group: '', resources: ['pods'] }] },
  { level: 'Metadata', resources: [{ group: '', resources: ['pods/log', 'pods/status'] }] },
  {
    level:     'None',
    resources: [{
      group: '', resources: ['configmaps'], resourceNames: ['controller-leader']
    }]
  },
  {
    level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services'] }]
  },
  {
    level: 'None', userGroups: ['system:authenticated'], nonResourceURLs: ['/api*', '/version']
  },
  { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }] },
  { level: 'Request', resources: [{ group: '' }, { group: 'extensions' }] },
  { level: 'Metadata', omitStages: RR },
], { omitStages: RR });

const gke = policy([
  {
    level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }]
  },
  {
    level: 'None', users: ['system:unsecured'], namespaces: ['kube-system'], verbs: ['get'], resources: [{ group: '', resources: ['configmaps'] }]
  },
  {
    level: 'None', users: ['kubelet'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }]
  },
  {
    level: 'None', userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }]
  },
  {
    level:      'None',
    users:      ['system:kube-controller-manager', 'system:cloud-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'],
    verbs:      ['get', 'update'],
    namespaces: ['kube-system'],
    resources:  [{ group: '', resources: ['endpoints'] }],
  },
  {
    level: 'None', users: ['system:apiserver'], verbs: ['get'], resources: [{ group: '', resources: ['namespaces', 'namespaces/status', 'namespaces/finalize'] }]
  },
  {
    level: 'None', users: ['cluster-autoscaler'], verbs: ['get', 'update'], namespaces: ['kube-system'], resources: [{ group: '', resources: ['configmaps', 'endpoints'] }]
  },
  {
    level: 'None', users: ['system:kube-controller-manager', 'system:cloud-controller-manager'], verbs: ['get', 'list'], resources: [{ group: 'metrics.k8s.io' }]
  },
  { level: 'None', nonResourceURLs: ['/healthz*', '/version', '/swagger*'] },
  { level: 'None', resources: [{ group: '', resources: ['events'] }] },
  {
    level:      'Request',
    users:      ['kubelet', 'system:node-problem-detector', 'system:serviceaccount:kube-system:node-problem-detector'],
    verbs:      ['update', 'patch'],
    resources:  [{ group: '', resources: ['nodes/status', 'pods/status'] }],
    omitStages: RR,
  },
  {
    level: 'Request', userGroups: ['system:nodes'], verbs: ['update', 'patch'], resources: [{ group: '', resources: ['nodes/status', 'pods/status'] }], omitStages: RR
  },
  {
    level: 'Request', users: ['system:serviceaccount:kube-system:namespace-controller'], verbs: ['deletecollection'], omitStages: RR
  },
  {
    level:      'Metadata',
    resources:  [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }],
    omitStages: RR,
  },
  {
    level: 'Request', verbs: ['get', 'list', 'watch'], resources: KNOWN_APIS, omitStages: RR
  },
  {
    level: 'RequestResponse', resources: KNOWN_APIS, omitStages: RR
  },
  { level: 'Metadata', omitStages: RR },
]);

const rke1Default = policy([{ level: 'Metadata' }]);

const OPENSHIFT_QUIET: PolicyRule[] = [
  {
    level: 'None', userGroups: ['system:authenticated', 'system:unauthenticated'], nonResourceURLs: ['/api*', '/version', '/healthz', '/readyz']
  },
];
const OPENSHIFT_SENSITIVE: PolicyRule[] = [
  {
    level:     'Metadata',
    resources: [
      { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
      { group: 'route.openshift.io', resources: ['routes', 'routes/status'] },
      { group: 'oauth.openshift.io', resources: ['oauthclients', 'oauthaccesstokens', 'oauthauthorizetokens'] },
    ],
  },
];
const CATCH_ALL_METADATA: PolicyRule = { level: 'Metadata', omitStages: RR };
const WRITES: string[] = ['create', 'update', 'patch', 'delete', 'deletecollection'];

const openshiftDefault = policy([...OPENSHIFT_QUIET, ...OPENSHIFT_SENSITIVE, CATCH_ALL_METADATA]);
const openshiftWrite = policy([
  ...OPENSHIFT_QUIET, ...OPENSHIFT_SENSITIVE, {
    level: 'RequestResponse', verbs: WRITES, omitStages: RR
  }, CATCH_ALL_METADATA,
]);
const openshiftAll = policy([
  ...OPENSHIFT_QUIET, ...OPENSHIFT_SENSITIVE, { level: 'RequestResponse', omitStages: RR },
]);

export const PRESETS: Preset[] = [
  {
    id:          'cis-minimal',
    name:        'CIS minimal',
    description: 'Every request at Metadata (who, what, when; no bodies), Secrets, ConfigMaps and TokenReviews explicitly at Metadata, RequestReceived stage omitted. Meets CIS 3.2.1/3.2.2.',
    volume:      'medium',
    policy:      cisMinimal,
  },
  {
    id:          'k8s-docs',
    name:        'Kubernetes docs example',
    description: 'The example from the Kubernetes documentation: pod changes with bodies, core and extensions requests with request bodies, the rest at Metadata. Its rule that logged kube-system ConfigMap bodies is left out (they may hold credentials).',
    volume:      'high',
    policy:      k8sDocs,
  },
  {
    id:          'gke',
    name:        'GKE-style',
    description: 'The policy GKE/GCE masters use: drops known noisy system traffic and events, reads with request bodies, writes to built-in APIs with request and response bodies, Secrets and tokens at Metadata.',
    volume:      'very high',
    policy:      gke,
  },
  {
    id:          'rke1-default',
    name:        'RKE1 default',
    description: 'What RKE1 writes when audit logging is enabled without a policy: every request at Metadata, all stages.',
    volume:      'medium',
    policy:      rke1Default,
  },
  {
    id:          'openshift-default',
    name:        'OpenShift-style: Default',
    description: 'Metadata for every request except unauthenticated/health and discovery paths, which are not logged.',
    volume:      'low',
    policy:      openshiftDefault,
  },
  {
    id:          'openshift-write-request-bodies',
    name:        'OpenShift-style: WriteRequestBodies',
    description: 'Like Default, plus request and response bodies of every write (create, update, patch, delete), except Secrets, ConfigMaps, tokens, routes and OAuth objects.',
    volume:      'medium',
    policy:      openshiftWrite,
  },
  {
    id:          'openshift-all-request-bodies',
    name:        'OpenShift-style: AllRequestBodies',
    description: 'Like WriteRequestBodies, but reads too are logged with bodies. The largest logs.',
    volume:      'very high',
    policy:      openshiftAll,
  },
];

/** A deep copy of a preset's policy, safe to edit. */
export function presetPolicy(id: string): Policy | undefined {
  const preset = PRESETS.find((p) => p.id === id);

  return preset ? JSON.parse(JSON.stringify(preset.policy)) : undefined;
}
