/**
 * The webhook form over its kubeconfig: the kubeconfig text is what is saved, the form shows and edits the entries
 * client-go uses (current-context's cluster and user: kubeconfig.ts currentEntries). An edit changes only those
 * fields of the text and keeps everything else (other entries, comments); a text that is not a kubeconfig is
 * written anew from the form. New entries are named `audit-webhook`. The kubeconfig is written as YAML 1.1, as
 * go-yaml v2 reads it (a token such as `on` is quoted, so it stays a string).
 */
import {
  Document, isMap, isSeq, parseDocument, YAMLMap
} from 'yaml';
import { base64, utf8Bytes } from './sha256';
import { currentEntries, KubeconfigUser, loadKubeconfig } from './kubeconfig';
import { WebhookSettings } from './types';
import { WebhookFlag } from './webhook-flags';

/** How the webhook authenticates to the receiver; `other`: something the form does not edit (kept as it is). */
export type WebhookAuth = 'none' | 'token' | 'certificate' | 'other';

/** The form's fields, read off the kubeconfig. PEM texts are shown as text; the kubeconfig holds them base64-encoded. */
export interface WebhookForm {
  server: string;
  ca: string;
  auth: WebhookAuth;
  token: string;
  clientCertificate: string;
  clientKey: string;
  /** The text is a kubeconfig the form edits in place (false: an edit writes it anew). */
  editable: boolean;
}

/** The name of the entries a new kubeconfig gets. */
export const WEBHOOK_ENTRY_NAME = 'audit-webhook';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function authOf(user: KubeconfigUser | null): WebhookAuth {
  if (!user) {
    return 'none';
  }
  const token = !!user.token;
  const certificate = !!(user.clientCertificateData.length || user.clientKeyData.length);
  const other = !!(user.username || user.password || user.exec || user.authProvider || user.tokenFile || user.clientCertificate || user.clientKey);

  if (other || (token && certificate)) {
    return 'other';
  }

  return token ? 'token' : certificate ? 'certificate' : 'none';
}

/** The form's view of a kubeconfig text. */
export function webhookForm(kubeconfig: string): WebhookForm {
  const loaded = loadKubeconfig(kubeconfig);

  if (!loaded.ok) {
    return {
      server: '', ca: '', auth: 'none', token: '', clientCertificate: '', clientKey: '', editable: false
    };
  }
  const { cluster, user } = currentEntries(loaded.config);

  return {
    server:            cluster?.server ?? '',
    ca:                cluster ? text(cluster.certificateAuthorityData) : '',
    auth:              authOf(user),
    token:             user?.token ?? '',
    clientCertificate: user ? text(user.clientCertificateData) : '',
    clientKey:         user ? text(user.clientKeyData) : '',
    editable:          kubeconfig.trim() !== '' && isMap(parseDocument(kubeconfig, { version: '1.1' }).contents),
  };
}

type Fields = Record<string, string | undefined>;

/** The cluster's and the user's fields of a form (undefined: removed). */
function fieldsOf(form: WebhookForm): { cluster: Fields, user: Fields } {
  const data = (pem: string) => (pem ? base64(utf8Bytes(pem)) : undefined);
  const keep = form.auth === 'other';

  return {
    // a CA replaces a CA file and the insecure flag (client-go refuses a CA together with insecure-skip-tls-verify)
    cluster: {
      server: form.server || undefined, 'certificate-authority-data': data(form.ca), ...(form.ca ? { 'certificate-authority': undefined, 'insecure-skip-tls-verify': undefined } : {})
    },
    user: keep ? {} : {
      token:                     form.auth === 'token' ? form.token || undefined : undefined,
      'client-certificate-data': form.auth === 'certificate' ? data(form.clientCertificate) : undefined,
      'client-key-data':         form.auth === 'certificate' ? data(form.clientKey) : undefined,
    },
  };
}

const WRITE = {
  version: '1.1', lineWidth: 0, indentSeq: false
} as const;

/** A new kubeconfig holding the form's fields. */
function freshKubeconfig(form: WebhookForm): string {
  const { cluster, user } = fieldsOf(form);
  const defined = (fields: Fields) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const doc = new Document({
    apiVersion:        'v1',
    kind:              'Config',
    clusters:          [{ name: WEBHOOK_ENTRY_NAME, cluster: defined(cluster) }],
    users:             [{ name: WEBHOOK_ENTRY_NAME, user: defined(user) }],
    contexts:          [{ name: WEBHOOK_ENTRY_NAME, context: { cluster: WEBHOOK_ENTRY_NAME, user: WEBHOOK_ENTRY_NAME } }],
    'current-context': WEBHOOK_ENTRY_NAME,
  }, { version: '1.1' });

  return doc.toString(WRITE);
}

/** The index of the entry named `name` in a list of the document, or -1. */
function entryIndex(doc: Document, list: string, name: string): number {
  const seq = doc.get(list);

  return isSeq(seq) ? seq.items.findIndex((item) => isMap(item) && String((item as YAMLMap).get('name') ?? '') === name) : -1;
}

/** The entry named `name` of a list, made (with its `key` object) when missing; its index. */
function ensureEntry(doc: Document, list: string, key: string, name: string): number {
  const at = entryIndex(doc, list, name);

  if (at >= 0) {
    if (!isMap(doc.getIn([list, at, key]))) {
      doc.setIn([list, at, key], doc.createNode({}));
    }

    return at;
  }
  if (!isSeq(doc.get(list))) {
    doc.set(list, doc.createNode([]));
  }
  const seq = doc.get(list) as unknown as { items: unknown[] };

  seq.items.push(doc.createNode({ name, [key]: {} }));

  return seq.items.length - 1;
}

function setFields(doc: Document, path: (string | number)[], fields: Fields): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) {
      if (doc.hasIn([...path, key])) {
        doc.deleteIn([...path, key]);
      }
    } else {
      doc.setIn([...path, key], value);
    }
  }
}

/** The kubeconfig with the form's fields changed by `patch` (the entries client-go uses; everything else kept). */
export function editKubeconfig(kubeconfig: string, patch: Partial<Omit<WebhookForm, 'editable'>>): string {
  const current = webhookForm(kubeconfig);
  const form = { ...current, ...patch };

  if (!form.editable) {
    return freshKubeconfig(form);
  }
  const doc = parseDocument(kubeconfig, { version: '1.1' });
  let contextName = String(doc.get('current-context') ?? '');

  if (!contextName) {
    contextName = WEBHOOK_ENTRY_NAME;
    doc.set('current-context', contextName);
  }
  const context = ensureEntry(doc, 'contexts', 'context', contextName);
  const names: Record<'cluster' | 'user', string> = { cluster: '', user: '' };

  for (const role of ['cluster', 'user'] as const) {
    names[role] = String(doc.getIn(['contexts', context, 'context', role]) ?? '');
    if (!names[role] && (role === 'cluster' || form.auth !== 'none')) {
      names[role] = WEBHOOK_ENTRY_NAME;
      doc.setIn(['contexts', context, 'context', role], names[role]);
    }
  }
  const was = fieldsOf(current);
  const { cluster, user } = fieldsOf(form);
  // a value the edit does not change keeps its node (its quoting and comments); removals always apply
  const changed = (before: Fields, after: Fields): Fields => Object.fromEntries(Object.entries(after).filter(([k, v]) => v === undefined || before[k] !== v));

  setFields(doc, ['clusters', ensureEntry(doc, 'clusters', 'cluster', names.cluster), 'cluster'], changed(was.cluster, cluster));
  if (names.user && form.auth !== 'other') {
    setFields(doc, ['users', ensureEntry(doc, 'users', 'user', names.user), 'user'], {
      ...changed(was.user, user), tokenFile: undefined, username: undefined, password: undefined
    });
  }

  return doc.toString(WRITE);
}

/** A start for a receiver: the URL's port and path (the host stays the user's), the authentication, and flags. */
export interface WebhookPreset {
  id: 'falco' | 'https';
  port: string;
  path: string;
  auth: Exclude<WebhookAuth, 'other'>;
  flags: Partial<Record<WebhookFlag, string>>;
}

/**
 * Falco's k8saudit plugin listens on port 9765 at /k8s-audit, with https when given its sslCertificate, and takes no
 * credentials (falcosecurity/plugins plugins/k8saudit/README.md: open_params, init_config); its webhookMaxBatchSize
 * (12 MiB) is above kube-apiserver's truncate max batch size (10 MiB), so truncating keeps every batch within it.
 * A generic HTTPS receiver (a SIEM's HTTP collector, Logstash's http input, fluent-bit's http input) usually takes a
 * bearer token.
 */
export const WEBHOOK_PRESETS: readonly WebhookPreset[] = [
  {
    id: 'falco', port: '9765', path: '/k8s-audit', auth: 'none', flags: { truncateEnabled: 'true' }
  },
  {
    id: 'https', port: '', path: '/', auth: 'token', flags: {}
  },
];

/** The host of a URL typed so far ('' when there is none). */
function hostOf(server: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^/@?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(server);

  return m ? m[1] : '';
}

/**
 * The webhook settings with a preset applied: an https URL on the typed host, and the preset's flags. The credentials
 * typed so far are kept; the form offers the preset's `auth` for what to fill in next.
 */
export function applyWebhookPreset(webhook: WebhookSettings, id: WebhookPreset['id']): WebhookSettings {
  const preset = WEBHOOK_PRESETS.find((p) => p.id === id) as WebhookPreset;
  const server = `https://${ hostOf(webhookForm(webhook.kubeconfig).server) }${ preset.port ? `:${ preset.port }` : '' }${ preset.path }`;

  return {
    ...webhook, kubeconfig: editKubeconfig(webhook.kubeconfig, { server }), flags: { ...webhook.flags, ...preset.flags }
  };
}
