/**
 * The kubeconfig of kube-apiserver's audit webhook, loaded and checked as kube-apiserver loads it when it starts
 * (k8s.io/apiserver plugin/pkg/audit/webhook loadWebhook -> pkg/util/webhook LoadKubeconfig -> client-go's
 * clientcmd: NewNonInteractiveDeferredLoadingClientConfig with the file as ExplicitPath, then ClientConfig, then
 * rest.UnversionedRESTClientFor):
 * - Load (tools/clientcmd/loader.go): YAML or JSON through apimachinery's serializer (sigs.k8s.io/yaml, then
 *   case-sensitive encoding/json: unknown fields dropped, the first type error reported), apiVersion v1 and kind
 *   Config by default, the v1 lists converted to maps (api/v1/conversion.go: a duplicate name is an error);
 * - DirectClientConfig.ConfirmUsable (client_config.go) with validateAuthInfo and validateClusterInfo
 *   (validation.go), whose messages the errors carry;
 * - the TLS client: certificate-authority-data and the client key pair parsed (pem.ts).
 * Added here, because client-go would start but the webhook could not work: the server must be a URL with a
 * scheme and a host (client-go reads `host:port` as plain http, and over http sends no credentials), and no file
 * may be named in it (Rancher delivers the kubeconfig alone, and RKE2 mounts only the kubeconfig's own path into
 * kube-apiserver's static pod: rancher/rke2 pkg/podtemplate/podtemplate.go ReadFiles).
 * No message ever holds a token, a password, a key or certificate data.
 */
import { isJsonText } from '../policy/encoding';
import { goQuote } from '../policy/go-format';
import { Coded, Message, verbatim } from '../policy/messages';
import { readSource } from '../policy/source';
import { coded, deliveryMessage } from './messages';
import { caDataError, decodeGoBase64, keyPairError } from './pem';

/** Where a kubeconfig problem shows in the form: the field that holds the value, or the kubeconfig as a whole. */
export type KubeconfigField = 'kubeconfig' | 'server' | 'ca' | 'auth' | 'token' | 'clientCertificate' | 'clientKey';

/** One problem of a kubeconfig, at the form's field: client-go's own text (`kube.verbatim`) or this extension's message. */
export interface KubeconfigProblem extends Coded {
  field: KubeconfigField;
}

/** clientcmdapi.Cluster, as far as the webhook's client uses it. */
export interface KubeconfigCluster {
  server: string;
  tlsServerName: string;
  insecureSkipTLSVerify: boolean;
  certificateAuthority: string;
  certificateAuthorityData: Uint8Array;
  proxyURL: string;
}

/** clientcmdapi.AuthInfo, as far as the webhook's client uses it. */
export interface KubeconfigUser {
  clientCertificate: string;
  clientCertificateData: Uint8Array;
  clientKey: string;
  clientKeyData: Uint8Array;
  token: string;
  tokenFile: string;
  impersonate: string;
  impersonateUID: string;
  impersonateGroups: string[];
  impersonateUserExtra: Record<string, string[]>;
  username: string;
  password: string;
  authProvider: boolean;
  exec: { command: string, apiVersion: string, interactiveMode: string, env: { name: string }[] } | null;
}

/** clientcmdapi.Context. */
export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace: string;
}

/** clientcmdapi.Config: the named entries by name (a Map: names are data, not keys of an object). */
export interface Kubeconfig {
  clusters: Map<string, KubeconfigCluster>;
  users: Map<string, KubeconfigUser>;
  contexts: Map<string, KubeconfigContext>;
  currentContext: string;
  /** preferences or extensions are set (then the config is not "empty" for IsConfigEmpty). */
  other: boolean;
}

type Json = Record<string, unknown>;

/** Go's reflect names of the v1 types a field decodes into, for encoding/json's UnmarshalTypeError. */
type Kind = 'string' | 'bool' | 'bytes' | 'strings' | 'stringMap' | 'stringsMap' | 'object' | 'raw';

interface Schema { struct: string, fields: Record<string, { kind: Kind, go: string, schema?: Schema }> }

const NAMED = (struct: string, key: string, go: string, schema: Schema): Schema => ({
  struct,
  fields: {
    name:  { kind: 'string', go: 'string' },
    [key]: {
      kind: 'object', go, schema
    }
  }
});
const EXTENSIONS = { kind: 'raw' as const, go: '[]v1.NamedExtension' };
const CLUSTER: Schema = {
  struct: 'Cluster',
  fields: {
    server:                       { kind: 'string', go: 'string' },
    'tls-server-name':            { kind: 'string', go: 'string' },
    'insecure-skip-tls-verify':   { kind: 'bool', go: 'bool' },
    'certificate-authority':      { kind: 'string', go: 'string' },
    'certificate-authority-data': { kind: 'bytes', go: '[]uint8' },
    'proxy-url':                  { kind: 'string', go: 'string' },
    'disable-compression':        { kind: 'bool', go: 'bool' },
    extensions:                   EXTENSIONS,
  },
};
const EXEC: Schema = {
  struct: 'ExecConfig',
  fields: {
    command:         { kind: 'string', go: 'string' },
    args:            { kind: 'strings', go: '[]string' },
    env:             { kind: 'raw', go: '[]v1.ExecEnvVar' },
    apiVersion:      { kind: 'string', go: 'string' },
    installHint:     { kind: 'string', go: 'string' },
    interactiveMode: { kind: 'string', go: 'v1.ExecInteractiveMode' },
  },
};
const USER: Schema = {
  struct: 'AuthInfo',
  fields: {
    'client-certificate':      { kind: 'string', go: 'string' },
    'client-certificate-data': { kind: 'bytes', go: '[]uint8' },
    'client-key':              { kind: 'string', go: 'string' },
    'client-key-data':         { kind: 'bytes', go: '[]uint8' },
    token:                     { kind: 'string', go: 'string' },
    tokenFile:                 { kind: 'string', go: 'string' },
    as:                        { kind: 'string', go: 'string' },
    'as-uid':                  { kind: 'string', go: 'string' },
    'as-groups':               { kind: 'strings', go: '[]string' },
    'as-user-extra':           { kind: 'stringsMap', go: 'map[string][]string' },
    username:                  { kind: 'string', go: 'string' },
    password:                  { kind: 'string', go: 'string' },
    'auth-provider':           { kind: 'raw', go: '*v1.AuthProviderConfig' },
    exec:                      {
      kind: 'object', go: '*v1.ExecConfig', schema: EXEC
    },
    extensions: EXTENSIONS,
  },
};
const CONTEXT: Schema = {
  struct: 'Context',
  fields: {
    cluster: { kind: 'string', go: 'string' }, user: { kind: 'string', go: 'string' }, namespace: { kind: 'string', go: 'string' }, extensions: EXTENSIONS,
  },
};
const LISTS = {
  clusters: {
    go: '[]v1.NamedCluster', elem: 'v1.NamedCluster', key: 'cluster', schema: NAMED('NamedCluster', 'cluster', 'v1.Cluster', CLUSTER), internal: 'map[string]*api.Cluster'
  },
  users: {
    go: '[]v1.NamedAuthInfo', elem: 'v1.NamedAuthInfo', key: 'user', schema: NAMED('NamedAuthInfo', 'user', 'v1.AuthInfo', USER), internal: 'map[string]*api.AuthInfo'
  },
  contexts: {
    go: '[]v1.NamedContext', elem: 'v1.NamedContext', key: 'context', schema: NAMED('NamedContext', 'context', 'v1.Context', CONTEXT), internal: 'map[string]*api.Context'
  },
} as const;

/** encoding/json's name of a JSON value's kind, as UnmarshalTypeError prints it. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'boolean') {
    return 'bool';
  }

  return typeof value === 'number' || typeof value === 'bigint' ? 'number' : typeof value === 'string' ? 'string' : 'object';
}

/** The first decoding error (encoding/json keeps going and reports the first one it saved). */
class Decoder {
  error: string | null = null;

  fail(message: string): void {
    this.error = this.error ?? message;
  }

  typeError(value: unknown, struct: string, path: string[], go: string): void {
    this.fail(`json: cannot unmarshal ${ jsonKind(value) } into Go struct field ${ struct }.${ path.join('.') } of type ${ go }`);
  }

  /** A struct's known fields, decoded; unknown fields are dropped (the serializer is not strict). */
  struct(value: unknown, schema: Schema, path: string[], go: string, outer: string): Json {
    const out: Json = {};

    if (value === null || value === undefined) {
      return out;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.typeError(value, outer, path, go);

      return out;
    }
    for (const [key, field] of Object.entries(schema.fields)) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) {
        continue;
      }
      const v = (value as Json)[key];
      const at = [...path, key];

      if (v === null) {
        continue;
      }
      switch (field.kind) {
      case 'string':
      case 'bool':
        if ((field.kind === 'string' && typeof v !== 'string') || (field.kind === 'bool' && typeof v !== 'boolean')) {
          this.typeError(v, schema.struct, at, field.go);
        } else {
          out[key] = v;
        }
        break;
      case 'bytes':
        if (typeof v !== 'string') {
          this.typeError(v, schema.struct, at, field.go);
        } else {
          const decoded = decodeGoBase64(v);

          if (decoded.ok) {
            out[key] = decoded.bytes;
          } else {
            this.fail(decoded.message);
          }
        }
        break;
      case 'strings':
        if (!Array.isArray(v)) {
          this.typeError(v, schema.struct, at, field.go);
        } else {
          const bad = v.find((s) => s !== null && typeof s !== 'string');

          if (bad !== undefined) {
            this.typeError(bad, schema.struct, at, 'string');
          }
          out[key] = v.map((s) => (typeof s === 'string' ? s : ''));
        }
        break;
      case 'stringMap':
      case 'stringsMap':
        if (typeof v !== 'object' || Array.isArray(v)) {
          this.typeError(v, schema.struct, at, field.go);
        } else {
          out[key] = v;
        }
        break;
      case 'object':
        out[key] = this.struct(v, field.schema as Schema, at, field.go, schema.struct);
        break;
      default:
        out[key] = v;
      }
    }

    return out;
  }
}

const EMPTY_BYTES = new Uint8Array(0);

function clusterOf(v: Json): KubeconfigCluster {
  return {
    server:                   (v.server as string) ?? '',
    tlsServerName:            (v['tls-server-name'] as string) ?? '',
    insecureSkipTLSVerify:    !!v['insecure-skip-tls-verify'],
    certificateAuthority:     (v['certificate-authority'] as string) ?? '',
    certificateAuthorityData: (v['certificate-authority-data'] as Uint8Array) ?? EMPTY_BYTES,
    proxyURL:                 (v['proxy-url'] as string) ?? '',
  };
}

function userOf(v: Json): KubeconfigUser {
  const exec = v.exec as Json | undefined;

  return {
    clientCertificate:     (v['client-certificate'] as string) ?? '',
    clientCertificateData: (v['client-certificate-data'] as Uint8Array) ?? EMPTY_BYTES,
    clientKey:             (v['client-key'] as string) ?? '',
    clientKeyData:         (v['client-key-data'] as Uint8Array) ?? EMPTY_BYTES,
    token:                 (v.token as string) ?? '',
    tokenFile:             (v.tokenFile as string) ?? '',
    impersonate:           (v.as as string) ?? '',
    impersonateUID:        (v['as-uid'] as string) ?? '',
    impersonateGroups:     (v['as-groups'] as string[]) ?? [],
    impersonateUserExtra:  (v['as-user-extra'] as Record<string, string[]>) ?? {},
    username:              (v.username as string) ?? '',
    password:              (v.password as string) ?? '',
    authProvider:          v['auth-provider'] !== undefined,
    exec:                  exec ? {
      command: (exec.command as string) ?? '', apiVersion: (exec.apiVersion as string) ?? '', interactiveMode: (exec.interactiveMode as string) ?? '', env: Array.isArray(exec.env) ? exec.env as { name: string }[] : []
    } : null,
  };
}

function contextOf(v: Json): KubeconfigContext {
  return {
    cluster: (v.cluster as string) ?? '', user: (v.user as string) ?? '', namespace: (v.namespace as string) ?? ''
  };
}

/** What clientcmd.Load makes of the text: the config, or the error kube-apiserver stops with. */
export type LoadedKubeconfig = { ok: true, config: Kubeconfig } | { ok: false, message: string };

/**
 * clientcmd.Load: the text decoded into the v1 types and converted. An empty text is the empty config (it then
 * fails ConfirmUsable), as LoadFromFile has it.
 */
export function loadKubeconfig(text: string): LoadedKubeconfig {
  const config: Kubeconfig = {
    clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '', other: false
  };

  if (text === '') {
    return { ok: true, config };
  }
  const source = readSource(text);

  if (source.syntaxError) {
    const message = source.syntaxError.message.replace(/^failed decoding: /, '');

    return { ok: false, message: isJsonText(text) ? message : `error converting YAML to JSON: ${ message }` };
  }
  const value = source.value;

  if (value === null) {
    return { ok: true, config };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: `couldn't get version/kind; json parse error: json: cannot unmarshal ${ jsonKind(value) } into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }` };
  }
  const obj = value as Json;

  for (const key of ['apiVersion', 'kind']) {
    if (obj[key] !== undefined && obj[key] !== null && typeof obj[key] !== 'string') {
      return { ok: false, message: `couldn't get version/kind; json parse error: json: cannot unmarshal ${ jsonKind(obj[key]) } into Go struct field .${ key } of type string` };
    }
  }
  const version = (obj.apiVersion as string) || 'v1';
  const kind = (obj.kind as string) || 'Config';

  if (version !== 'v1' || kind !== 'Config') {
    // client-go adds `in scheme "<the clientcmd scheme's name>"`
    return { ok: false, message: `no kind ${ goQuote(kind) } is registered for version ${ goQuote(version) }` };
  }
  const decoder = new Decoder();
  const lists: Record<keyof typeof LISTS, Json[]> = {
    clusters: [], users: [], contexts: []
  };

  for (const [name, list] of Object.entries(LISTS) as [keyof typeof LISTS, typeof LISTS[keyof typeof LISTS]][]) {
    const v = obj[name];

    if (v === undefined || v === null) {
      continue;
    }
    if (!Array.isArray(v)) {
      decoder.typeError(v, 'Config', [name], list.go);
      continue;
    }
    for (const item of v) {
      if (item !== null && (typeof item !== 'object' || Array.isArray(item))) {
        decoder.typeError(item, 'Config', [name], list.elem);
        continue;
      }
      lists[name].push(decoder.struct(item, list.schema, [name], list.elem, 'Config'));
    }
  }
  if (obj['current-context'] !== undefined && obj['current-context'] !== null) {
    if (typeof obj['current-context'] === 'string') {
      config.currentContext = obj['current-context'];
    } else {
      decoder.typeError(obj['current-context'], 'Config', ['current-context'], 'string');
    }
  }
  if (decoder.error) {
    return { ok: false, message: decoder.error };
  }
  config.other = (obj.preferences !== undefined && obj.preferences !== null && Object.keys(obj.preferences as object).length > 0) || (Array.isArray(obj.extensions) && obj.extensions.length > 0);
  const convert = <T>(name: keyof typeof LISTS, into: Map<string, T>, of: (v: Json) => T): string | null => {
    for (const entry of lists[name]) {
      const entryName = (entry.name as string) ?? '';

      if (into.has(entryName)) {
        // client-go's message goes on with the whole list (its data included), left out here
        return `error converting *[]${ LISTS[name].elem.replace('v1.', '') } into *${ LISTS[name].internal }: duplicate name ${ goQuote(entryName) } in list`;
      }
      into.set(entryName, of((entry[LISTS[name].key] as Json) ?? {}));
    }

    return null;
  };
  const duplicate = convert('clusters', config.clusters, clusterOf) || convert('users', config.users, userOf) || convert('contexts', config.contexts, contextOf);

  return duplicate ? { ok: false, message: duplicate } : { ok: true, config };
}

/** The context, cluster and user client-go uses: those of current-context (empty ones where names are missing). */
export function currentEntries(config: Kubeconfig): { contextName: string, context: KubeconfigContext | null, clusterName: string, cluster: KubeconfigCluster | null, userName: string, user: KubeconfigUser | null } {
  const context = config.contexts.get(config.currentContext) ?? null;
  const clusterName = context?.cluster ?? '';
  const userName = context?.user ?? '';

  return {
    contextName: config.currentContext, context, clusterName, cluster: config.clusters.get(clusterName) ?? null, userName, user: config.users.get(userName) ?? null,
  };
}

const INVALID = 'invalid configuration: ';
const EMPTY_CONFIG = `${ INVALID }no configuration has been provided, try setting KUBERNETES_MASTER environment variable`;

/** A file the kubeconfig names: Rancher does not deliver it, and RKE2 would not mount it. `owner` is the user or cluster. */
function fileRefused(what: string, owner: Message, path: string, instead: string): Coded {
  return coded('delivery.kubeconfigFile', {
    owner, what, path: goQuote(path), instead
  });
}

/** validateAuthInfo (validation.go), with the files refused; problems go to the form field of the value. */
function userProblems(name: string, user: KubeconfigUser, errors: KubeconfigProblem[], warnings: KubeconfigProblem[]): void {
  const methods: string[] = [];
  const owner = deliveryMessage('delivery.kubeconfigUser', { name: goQuote(name) });

  if (user.token) {
    methods.push('token');
  }
  if (user.username || user.password) {
    methods.push('basicAuth');
  }
  if (user.clientCertificate || user.clientCertificateData.length) {
    if (user.clientCertificate && user.clientCertificateData.length) {
      errors.push({ field: 'clientCertificate', ...verbatim(`${ INVALID }client-cert-data and client-cert are both specified for ${ name }. client-cert-data will override.`) });
    }
    if (user.clientKey && user.clientKeyData.length) {
      errors.push({ field: 'clientKey', ...verbatim(`${ INVALID }client-key-data and client-key are both specified for ${ name }; client-key-data will override`) });
    }
    if (!user.clientKey && !user.clientKeyData.length) {
      errors.push({ field: 'clientKey', ...verbatim(`${ INVALID }client-key-data or client-key must be specified for ${ name } to use the clientCert authentication method.`) });
    }
  }
  if (user.clientCertificate) {
    errors.push({ field: 'clientCertificate', ...fileRefused('client-certificate', owner, user.clientCertificate, 'client-certificate-data') });
  }
  if (user.clientKey) {
    errors.push({ field: 'clientKey', ...fileRefused('client-key', owner, user.clientKey, 'client-key-data') });
  }
  if (user.tokenFile && !user.token) {
    errors.push({ field: 'token', ...fileRefused('tokenFile', owner, user.tokenFile, 'token') });
  }
  if (user.exec) {
    const exec = user.exec;

    if (user.authProvider) {
      errors.push({ field: 'auth', ...verbatim(`${ INVALID }authProvider cannot be provided in combination with an exec plugin for ${ name }`) });
    }
    if (!exec.command) {
      errors.push({ field: 'auth', ...verbatim(`${ INVALID }command must be specified for ${ name } to use exec authentication plugin`) });
    }
    if (!exec.apiVersion) {
      errors.push({ field: 'auth', ...verbatim(`${ INVALID }apiVersion must be specified for ${ name } to use exec authentication plugin`) });
    }
    if (exec.env.some((e) => !e?.name)) {
      errors.push({ field: 'auth', ...verbatim(`${ INVALID }env variable name must be specified for ${ name } to use exec authentication plugin`) });
    }
    if (!exec.interactiveMode) {
      errors.push({ field: 'auth', ...verbatim(`${ INVALID }interactiveMode must be specified for ${ name } to use exec authentication plugin`) });
    } else if (!['Never', 'IfAvailable', 'Always'].includes(exec.interactiveMode)) {
      errors.push({ field: 'auth', ...verbatim(`${ INVALID }invalid interactiveMode for ${ name }: ${ goQuote(exec.interactiveMode) }`) });
    }
  }
  if (user.exec || user.authProvider) {
    warnings.push({ field: 'auth', ...coded('delivery.kubeconfigPlugin', { owner, plugin: user.exec ? 'exec' : 'authProvider' }) });
  }
  if (methods.length > 1) {
    errors.push({ field: 'auth', ...verbatim(`${ INVALID }more than one authentication method found for ${ name }; found [${ methods.join(' ') }], only one is allowed`) });
  }
  if ((user.impersonateUID || user.impersonateGroups.length || Object.keys(user.impersonateUserExtra).length) && !user.impersonate) {
    errors.push({ field: 'auth', ...verbatim(`${ INVALID }requesting uid, groups or user-extra for ${ name } without impersonating a user`) });
  }
}

/** A server URL as messages show it: without a user name or password. */
export function shownServer(server: string): string {
  return server.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/@]*@/, '$1');
}

/** The server URL: a scheme, a host; http is allowed but sends the events in clear and no credentials. */
function serverProblems(server: string, errors: KubeconfigProblem[], warnings: KubeconfigProblem[]): void {
  const shown = goQuote(shownServer(server));
  const parts = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(server);

  if (!parts) {
    errors.push({ field: 'server', ...coded('delivery.serverNoScheme', { server: shown }) });

    return;
  }
  const scheme = parts[1].toLowerCase();
  const userinfo = parts[2].includes('@');
  const host = parts[2].replace(/^.*@/, '').replace(/:[0-9]*$/, '');

  if (scheme !== 'https' && scheme !== 'http') {
    errors.push({ field: 'server', ...coded('delivery.serverScheme', { server: shown, scheme }) });
  } else if (!host) {
    errors.push({ field: 'server', ...coded('delivery.serverNoHost', { server: shown }) });
  } else if (userinfo) {
    errors.push({ field: 'server', ...coded('delivery.serverUserinfo', { server: shown }) });
  } else {
    try {
      new URL(server); // eslint-disable-line no-new
    } catch {
      errors.push({ field: 'server', ...coded('delivery.serverInvalid', { server: shown }) });

      return;
    }
    if (scheme === 'http') {
      warnings.push({ field: 'server', ...coded('delivery.serverHttp', { server: shown }) });
    }
  }
}

/**
 * The problems kube-apiserver would stop on (errors) and what would make the webhook fail or leak (warnings),
 * for the webhook kubeconfig `text`, in the order kube-apiserver meets them.
 */
export function checkKubeconfig(text: string): { config: Kubeconfig | null, errors: KubeconfigProblem[], warnings: KubeconfigProblem[] } {
  const errors: KubeconfigProblem[] = [];
  const warnings: KubeconfigProblem[] = [];
  const loaded = loadKubeconfig(text);

  if (!loaded.ok) {
    return {
      config: null, errors: [{ field: 'kubeconfig', ...verbatim(loaded.message) }], warnings
    };
  }
  const config = loaded.config;
  const {
    contextName, context, clusterName, cluster, userName, user
  } = currentEntries(config);

  if (!config.clusters.size && !config.users.size && !config.contexts.size && !config.currentContext && !config.other) {
    return {
      config, errors: [{ field: 'kubeconfig', ...verbatim(EMPTY_CONFIG) }], warnings
    };
  }
  if (contextName && !context) {
    errors.push({ field: 'kubeconfig', ...verbatim(`${ INVALID }context was not found for specified context: ${ contextName }`) });
  }
  if (context && context.user && !user) {
    warnings.push({ field: 'auth', ...coded('delivery.kubeconfigNoUser', { user: goQuote(context.user), context: goQuote(contextName) }) });
  }
  if (user) {
    userProblems(userName, user, errors, warnings);
  }
  if (!cluster) {
    // DirectClientConfig.ConfirmUsable: an empty cluster alone is the "no configuration" error
    errors.push({ field: errors.length ? 'server' : 'kubeconfig', ...verbatim(errors.length ? `${ INVALID }cluster has no server defined` : EMPTY_CONFIG) });

    return {
      config, errors, warnings
    };
  }
  if (!cluster.server) {
    errors.push({ field: 'server', ...verbatim(`${ INVALID }${ clusterName ? `no server found for cluster ${ goQuote(clusterName) }` : 'default cluster has no server defined' }`) });
  } else {
    serverProblems(cluster.server, errors, warnings);
  }
  if (cluster.proxyURL) {
    try {
      const proxy = new URL(cluster.proxyURL);

      if (!['http:', 'https:', 'socks5:'].includes(proxy.protocol)) {
        errors.push({ field: 'server', ...verbatim(`${ INVALID }invalid 'proxy-url' ${ goQuote(shownServer(cluster.proxyURL)) } for cluster ${ goQuote(clusterName) }: unsupported scheme ${ goQuote(proxy.protocol.slice(0, -1)) }, must be http, https, or socks5`) });
      }
    } catch {
      errors.push({ field: 'server', ...verbatim(`${ INVALID }invalid 'proxy-url' ${ goQuote(shownServer(cluster.proxyURL)) } for cluster ${ goQuote(clusterName) }`) });
    }
  }
  if (cluster.certificateAuthority && cluster.certificateAuthorityData.length) {
    errors.push({ field: 'ca', ...verbatim(`${ INVALID }certificate-authority-data and certificate-authority are both specified for ${ clusterName }. certificate-authority-data will override.`) });
  }
  if (cluster.certificateAuthority) {
    errors.push({ field: 'ca', ...fileRefused('certificate-authority', deliveryMessage('delivery.kubeconfigCluster', { name: goQuote(clusterName) }), cluster.certificateAuthority, 'certificate-authority-data') });
  }
  if (errors.length) {
    return {
      config, errors, warnings
    };
  }
  tlsProblems(cluster, user, errors, warnings);

  return {
    config, errors, warnings
  };
}

/** transport.TLSConfigFor: the CA and the client key pair as the webhook's TLS client reads them (https only). */
function tlsProblems(cluster: KubeconfigCluster, user: KubeconfigUser | null, errors: KubeconfigProblem[], warnings: KubeconfigProblem[]): void {
  if (!cluster.server.toLowerCase().startsWith('https:')) {
    return;
  }
  const decoder = new TextDecoder();

  if (cluster.certificateAuthorityData.length && cluster.insecureSkipTLSVerify) {
    errors.push({ field: 'ca', ...verbatim('specifying a root certificates file with the insecure flag is not allowed') });

    return;
  }
  if (cluster.insecureSkipTLSVerify) {
    warnings.push({ field: 'ca', ...coded('delivery.insecureSkipVerify') });
  }
  if (cluster.certificateAuthorityData.length) {
    const problem = caDataError(decoder.decode(cluster.certificateAuthorityData));

    if (problem) {
      errors.push({ field: 'ca', ...verbatim(problem) });
    }
  }
  if (user && user.clientCertificateData.length && user.clientKeyData.length) {
    const problem = keyPairError(decoder.decode(user.clientCertificateData), decoder.decode(user.clientKeyData));

    if (problem) {
      errors.push({ field: /key/.test(problem) && !/certificate input/.test(problem) ? 'clientKey' : 'clientCertificate', ...verbatim(problem) });
    }
  }
}
