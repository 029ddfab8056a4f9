/**
 * The English catalog of delivery/: every Problem, reason and check result the plan, the reader and the webhook
 * return is a code of this catalog (or of policy/messages.ts) with parameters; the UI translates the code
 * (`clusterAuditLog.msg.<code>`), the CLI prints this English. apimachinery's, client-go's and kube-apiserver's
 * own texts are `kube.verbatim` parameters, never rephrased.
 *
 * `{file, select, webhook {...} other {...}}` names the delivered file: the policy, or the webhook's kubeconfig.
 */
import {
  Catalog, Coded, formatMessage, Message, MessageParams, POLICY_MESSAGES
} from '../policy/messages';
import type { Severity } from '../policy/types';

const FILE = '{file, select, webhook {webhook kubeconfig} other {policy}}';
const CHOOSE_NAME = 'Choose another name: "{suggestion}" is free.';

/** The English templates of delivery/, by code. */
export const DELIVERY_MESSAGES = {
  'delivery.notRancherCluster':     'not an RKE2, K3s or RKE1 cluster: its audit log is not managed through Rancher',
  'delivery.notPlannable':          'not an RKE2, K3s or RKE1 cluster',
  'delivery.rke1BlockOnly':         'RKE1\'s auditLog block applies only to RKE1 clusters.',
  'delivery.k3sNoInlineMethod':     'K3s has no audit-policy-file option of its own, so Rancher cannot write an inline policy for it: deliver the policy as a Secret or ConfigMap instead.',
  'delivery.rke1Settings':          'RKE1 clusters keep their audit settings in rancherKubernetesEngineConfig.services.kubeApi.auditLog.',
  'delivery.methodUnavailable':     '{method} is not available for {distro}',
  'delivery.policyRefused':         'kube-apiserver would refuse this policy and not start: {path}: {problem}',
  'delivery.policyRefusedWhole':    'kube-apiserver would refuse this policy and not start: {problem}',
  'delivery.badLogFormat':          '{arg}={value}: kube-apiserver accepts only "json" or "legacy"; kept as typed',
  'delivery.octalArg':              '{arg}={value}: kube-apiserver reads a leading 0 as octal; write it as plain decimal digits; kept as typed',
  'delivery.badArgNumber':          '{arg}={value}: not a whole number kube-apiserver accepts: {reason}; kept as typed',
  'delivery.badArg':                '{arg}={value}: {reason}; kept as typed',
  'delivery.argNotManaged':         '{arg}: not managed by this tab; kept as it is',
  'delivery.deprecatedArg':         '{arg}: {kube} (kube-apiserver); kept as it is',
  'delivery.badRke1Number':         '{field}: {reason}; shown as stored',
  'delivery.rke1DefaultPolicy':     'no policy set: RKE1 applies its default policy (every request at Metadata)',
  'delivery.k3sInline':             'K3s has no audit-policy-file option: this value is not used. Switch to the Secret or ConfigMap method.',
  'delivery.inlinePath':            'holds a path ("{path}"), but Rancher writes this value as the file\'s CONTENT: kube-apiserver would fail to load it. Paste the policy itself.',
  'delivery.policyArgWins':         'audit-policy-file={path} is also set as a kube-apiserver arg; it comes later and wins over the inline policy',
  'delivery.logArgsNoPolicy':       'audit-log-* args are set but no policy file: nothing is logged',
  'delivery.externalPolicy':        'audit-policy-file={path}, but no machineSelectorFiles entry delivers {path}: the policy is put on the nodes some other way (external), and this tab cannot see the file',
  'delivery.matchExpressionsKept':  'matchExpressions are kept as they are; this tab edits matchLabels only',
  'delivery.objectMissing':         `{object} was not found: Rancher cannot deliver the ${ FILE } file`,
  'delivery.keyMissing':            `{object} has no key "{key}": Rancher cannot deliver the ${ FILE } file`,
  'delivery.staleHash':             'the item\'s hash {got} does not match {object}\'s "{key}" ({want}): Rancher\'s planner refuses the file ("does not contain the expected content"); Save writes the matching hash',
  'delivery.dataAndBinary':         '{object} has "{key}" in both data and binaryData: Kubernetes refuses such an object, and this tab cannot tell which one is delivered',
  'delivery.immutable':             `{object} is immutable: the ${ FILE } cannot be changed in place; a change is saved to a new object`,
  'delivery.notAuthorized':         '{object} is not authorized for this cluster: its annotation {annotation} does not list "{cluster}", so Rancher will not deliver it',
  'delivery.writerItem':            'machineSelectorFiles[{entry}] ({kind} {name}, key "{key}")',
  'delivery.writerRancher':         'Rancher itself',
  'delivery.selectorLabel':         'matchLabels sets {label}={value}, but Rancher sets that label only to "true" (on control-plane machines)',
  'delivery.selectorExpression':    'matchExpressions {label} {operator} {values} leaves out every control-plane machine',
  'delivery.pathTaken':             `{path} is already written by {writer}: the ${ FILE } would overwrite that file (or be overwritten by it)`,
  'delivery.selectorMissesPolicy':  '{reason}: kube-apiserver runs on control-plane machines only, so it would never get the policy file',
  'delivery.selectorMissesWebhook': '{reason}: kube-apiserver would never get the webhook kubeconfig',
  'delivery.badPermissions':        'permissions "{permissions}": must be octal file permissions such as 0600 (3 or 4 digits 0-7)',
  'delivery.badObjectName':         '{kind} name "{name}": {reasons}',
  'delivery.badKey':                'key "{key}": {reasons}',
  'delivery.badFilePath':           'file path "{path}": {reasons}',
  'delivery.badLabelKey':           'node label key "{key}": {reasons}',
  'delivery.badLabelValue':         'node label value "{value}" (of "{key}"): {reasons}',
  'delivery.badClusterName':        'the cluster name "{name}" (written to {annotation}): {reasons}',
  'delivery.badLogPath':            'log path "{path}" (or "-" for standard output): {reasons}',
  'delivery.clusterUnnamed':        'the cluster needs a name before a Secret or ConfigMap can be authorized for it',
  'delivery.pathNotAbsolute':       'must be an absolute path',
  'delivery.pathNotOneLine':        'must be one line, without NUL characters',
  'delivery.pathRoot':              'must not be \'/\'',
  'delivery.pathNotClean':          'must be a clean path (no \'//\', \'/./\', \'/../\' or trailing \'/\'): {clean}',
  'delivery.numberEmpty':           'must be a whole number; it is empty',
  'delivery.numberNegative':        '"{text}" is negative: must be 0 or more',
  'delivery.numberNotDigits':       '"{text}" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)',
  'delivery.numberTooLarge':        '"{text}" is too large: at most {max}',
  'delivery.badNumber':             '{name}: {reason}',
  'delivery.numberGoInt':           '{name}: {reason} (kube-apiserver reads it into a Go int)',
  'delivery.numberJson':            '{name}: {reason} (RKE1 keeps it as a JSON number, which the dashboard holds exactly only up to there)',
  'delivery.noAuditBackend':        'neither a log file nor a webhook: kube-apiserver would have no audit backend and log nothing; write a log file or send the events to a webhook{distro, select, RKE1 { (RKE1 offers only the log file)} other {}}',
  'delivery.belowCis':              '{value} is below the CIS Kubernetes Benchmark minimum of {minimum}',
  'delivery.rke2LogPath':           'some RKE2 versions mishandle an audit log path that does not end in audit.log (rancher/rke2#4136)',
  'delivery.holdsPolicy':           '{object} holds the policy under "{key}" and authorizes cluster "{cluster}"',
  'delivery.holdsWebhook':          '{object} holds the webhook kubeconfig under "{key}" ({keys, plural, one {# key} other {# keys}}, hidden) and authorizes cluster "{cluster}"',
  'delivery.chooseName':            `{reason} ${ CHOOSE_NAME }`,
  'delivery.nameWaited':            '{object} does not exist, but {clusters, plural, one {# cluster} other {# clusters}} ({clusterList}) name it for {files, plural, one {# file} other {# files}}: creating it changes what Rancher delivers to them.',
  'delivery.nameImmutable':         '{object} is immutable: Kubernetes refuses any change to its data or annotations.',
  'delivery.nameBinary':            '{object} holds "{key}" in binaryData: writing it to data as well would give the key twice, which Kubernetes refuses.',
  'delivery.nameForeign':           '{object} was not made by this extension and is not authorized for "{cluster}": adding it to {annotation} would hand this cluster every key of it ({keyCount, plural, =0 {none yet} other {{keys}}}).',
  'delivery.nameShared':            `{object} is used by {clusters, plural, one {# cluster} other {# clusters}} ({clusterList}) for {files, plural, one {# file} other {# files}} from its key "{key}": writing another ${ FILE } there changes what they receive, and Rancher refuses their plan while its hash no longer matches.{file, select, webhook {} other { A policy several clusters share is changed on the Audit Log page of Cluster Management.}}`,
  'delivery.spacedEntry':           '{object} lists {entries} in {annotation}: Rancher compares names exactly, so "{cluster}" is not authorized. Save fixes the entry to "{cluster}" and keeps the others.',
  'delivery.foreignObject':         `{object} was not made by this extension: Save writes the ${ FILE } into its key "{key}"{replaces, select, yes {, replacing what that key holds now} other {}}.`,
  'delivery.otherFiles':            '{object} also delivers {files, plural, one {# other file} other {# other files}} to {clusters}; they are kept as they are.',
  'delivery.releaseDelete':         '{object} was created by this extension and no cluster is authorized for it or reads it any more',
  'delivery.releaseCluster':        `{object} is no longer read by this cluster's ${ FILE }: "{cluster}" removed from {annotation}{consumers, plural, =0 {} one {; it still delivers # file to {clusters}} other {; it still delivers # files to {clusters}}}`,
  'delivery.releaseKey':            `{object} is no longer read by this cluster's ${ FILE }: its key "{key}" removed (no cluster reads it){consumers, plural, =0 {} one {; it still delivers # file to {clusters}} other {; it still delivers # files to {clusters}}}`,
  'delivery.releaseBoth':           `{object} is no longer read by this cluster's ${ FILE }: "{cluster}" removed from {annotation}, its key "{key}" removed (no cluster reads it){consumers, plural, =0 {} one {; it still delivers # file to {clusters}} other {; it still delivers # files to {clusters}}}`,
  'delivery.webhookNotOffered':     'the audit webhook is not offered for {distro} clusters here',
  'delivery.webhookKubeconfig':     'webhook kubeconfig: {problem}',
  'delivery.webhookArgsNoConfig':   'audit-webhook-* args are set but no {arg}: kube-apiserver sends no events to a webhook',
  'delivery.externalWebhook':       '{arg}={path}, but no machineSelectorFiles entry delivers {path} from a Secret: the kubeconfig is put on the nodes some other way (external), and this tab keeps it as it is',
  'delivery.webhookSecretShared':   '{object} holds the webhook kubeconfig and is authorized for {clusters} as well: those clusters can have its credentials delivered to their machines',
  'delivery.webhookSecretTaken':    '{object} {why}: the webhook kubeconfig holds credentials and gets a Secret of its own, made by this extension for this cluster only.',
  'delivery.alsoHoldsPolicy':       'also holds the policy',
  'delivery.notMadeHere':           'was not made by this extension',
  'delivery.authorizedForOthers':   'is authorized for {clusters} as well',
  'delivery.namedForOtherFiles':    'is named for {files, plural, one {# other file} other {# other files}} of {clusters}',
  'delivery.blockingStrict':        'blocking-strict makes the receiver part of the API server\'s availability: every request waits for its events to be sent, and a request fails when its RequestReceived event cannot be sent',
  'delivery.blocking':              'blocking makes every request to the API server wait until its events are sent (a failed send is dropped, the request goes on)',
  'delivery.batchOnlyFlag':         '{arg} is only used in batch mode; the mode is {mode}',
  'delivery.kubeconfigUser':        'user {name}',
  'delivery.kubeconfigCluster':     'cluster {name}',
  'delivery.kubeconfigFile':        '{owner}: {what} {path} names a file on the node: Rancher delivers this kubeconfig alone, and RKE2 mounts only the kubeconfig\'s own path into kube-apiserver\'s static pod; embed it as {instead}',
  'delivery.kubeconfigPlugin':      '{owner} authenticates with {plugin, select, exec {an exec plugin} other {an auth-provider}}: it runs inside kube-apiserver, whose static pod holds only kube-apiserver\'s own binaries',
  'delivery.kubeconfigNoUser':      'user {user} was not found for context {context}: the events are sent without credentials',
  'delivery.serverNoScheme':        'server {server}: must be a URL with a scheme (https://host:port/path): client-go reads host:port as plain http, and then sends neither the CA check nor the credentials',
  'delivery.serverScheme':          'server {server}: the scheme must be https (or http), not {scheme}',
  'delivery.serverNoHost':          'server {server}: the URL has no host name',
  'delivery.serverUserinfo':        'server {server}: the URL holds a user name or password; give the receiver\'s credentials as the user\'s token or client certificate',
  'delivery.serverInvalid':         'server {server}: not a valid URL',
  'delivery.serverHttp':            'server {server} is http: the audit events go over the network in clear text, and client-go sends no credentials and checks no CA over http',
  'delivery.insecureSkipVerify':    'insecure-skip-tls-verify is set: kube-apiserver sends the audit events (and the credentials) to whoever answers at the server\'s address',
} as const satisfies Catalog;

/** A code of the delivery catalog. */
export type DeliveryCode = keyof typeof DELIVERY_MESSAGES;

/** Both catalogs: a delivery message may hold a policy message (a load error) as a parameter. */
const CATALOG: Catalog = { ...POLICY_MESSAGES, ...DELIVERY_MESSAGES };

/** Which delivered file a message is about (the `file` parameter). */
export type DeliveredFile = 'policy' | 'webhook';

/** A delivery message (code and parameters), to nest in another or to return as is. */
export function deliveryMessage(code: DeliveryCode, params: MessageParams = {}): Message {
  return { code, params };
}

/** A delivery message with its English text. */
export function coded(code: DeliveryCode, params: MessageParams = {}): Coded {
  return {
    code, params, message: formatMessage({ code, params }, CATALOG)
  };
}

/** The English text of a message of either catalog. */
export function deliveryText(message: Message): string {
  return formatMessage(message, CATALOG);
}

/** A Problem (types.ts) of a delivery message: its field path, severity and English text. */
export function problem(path: string, severity: Severity, code: DeliveryCode, params: MessageParams = {}): { path: string, severity: Severity } & Coded {
  return {
    path, severity, ...coded(code, params)
  };
}

/** A Problem of a message made elsewhere (a distro fact, a check's result). */
export function problemOf(path: string, severity: Severity, message: Message): { path: string, severity: Severity } & Coded {
  return {
    path, severity, code: message.code, params: message.params, message: deliveryText(message)
  };
}
