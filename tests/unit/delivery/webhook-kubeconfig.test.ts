/**
 * The webhook's kubeconfig checked as kube-apiserver loads it (delivery/kubeconfig.ts, delivery/pem.ts): client-go's
 * clientcmd Load, DirectClientConfig.ConfirmUsable and validation.go messages, the TLS client's PEM checks (transport.go,
 * crypto/tls X509KeyPair), Go's base64; then the form over it (delivery/webhook-form.ts): what it shows, what an edit
 * changes and keeps, the presets. Certificates: tests/fixtures/webhook (SOURCES.md).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  applyWebhookPreset, checkKubeconfig, editKubeconfig, loadKubeconfig, WEBHOOK_PRESETS, WebhookSettings, webhookForm
} from '@pkg/delivery';
import { caDataError, decodeGoBase64, keyPairError } from '@pkg/delivery/pem';

const fixture = (file: string) => readFileSync(join(__dirname, '../../fixtures/webhook', file), 'utf8');
const CA = fixture('ca.pem');
const CERT = fixture('client.pem');
const KEY = fixture('client-key.pem');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A kubeconfig with one cluster, user and context (`user: null` leaves the user out). */
function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown> | null = {}, extra = ''): string {
  return JSON.stringify({
    apiVersion:        'v1',
    kind:              'Config',
    clusters:          [{ name: 'siem', cluster }],
    users:             user ? [{ name: 'audit', user }] : [],
    contexts:          [{ name: 'ctx', context: { cluster: 'siem', user: 'audit' } }],
    'current-context': 'ctx',
  }) + extra;
}

const HTTPS = { server: 'https://siem.example.com:8443/audit', 'certificate-authority-data': b64(CA) };

describe('checkKubeconfig: what kube-apiserver stops on (errors) and what makes the webhook fail or leak (warnings)', () => {
  type Row = [what: string, text: string, errors: string[], warnings: string[]];
  const rows: Row[] = [
    ['a token over https with its CA', kubeconfig(HTTPS, { token: 't0ken' }), [], []],
    ['a client certificate and key', kubeconfig(HTTPS, { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY) }), [], []],
    ['no credentials (Falco takes none)', kubeconfig(HTTPS, null), [], ['auth: user "audit" was not found for context "ctx": the events are sent without credentials']],
    ['Falco\'s own example: http, no user (falcosecurity/plugins configs/webhook-config.yaml.in)', fixture('falco-webhook-config.yaml.in'), [], ['server: server "http://$FALCO_SERVICE_CLUSTERIP:8765/k8s-audit" is http: the audit events go over the network in clear text, and client-go sends no credentials and checks no CA over http']],
    ['an empty file', '', ['kubeconfig: invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable'], []],
    ['YAML that does not parse', 'clusters: [', ['kubeconfig: error converting YAML to JSON: yaml: line 1, column 12: Flow sequence in block collection must be sufficiently indented and end with a ]'], []],
    ['a list, not a Config', '- a\n', ['kubeconfig: couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'], []],
    ['another kind', 'kind: Policy\n', ['kubeconfig: no kind "Policy" is registered for version "v1"'], []],
    ['clusters as a map', 'clusters: {siem: {server: x}}\n', ['kubeconfig: json: cannot unmarshal object into Go struct field Config.clusters of type []v1.NamedCluster'], []],
    ['a number for the server', 'clusters:\n- name: a\n  cluster: {server: 8443}\n', ['kubeconfig: json: cannot unmarshal number into Go struct field Cluster.clusters.cluster.server of type string'], []],
    ['a YAML 1.1 boolean for the token', 'users:\n- name: u\n  user: {token: yes}\n', ['kubeconfig: json: cannot unmarshal bool into Go struct field AuthInfo.users.user.token of type string'], []],
    ['CA data that is not base64', kubeconfig({ ...HTTPS, 'certificate-authority-data': 'LS0t!' }), ['kubeconfig: illegal base64 data at input byte 4'], []],
    ['two clusters of one name', 'clusters:\n- {name: a, cluster: {server: "https://a"}}\n- {name: a, cluster: {server: "https://b"}}\n', ['kubeconfig: error converting *[]NamedCluster into *map[string]*api.Cluster: duplicate name "a" in list'], []],
    ['current-context names no context', 'current-context: prod\n', ['kubeconfig: invalid configuration: context was not found for specified context: prod', 'server: invalid configuration: cluster has no server defined'], []],
    ['no current-context', kubeconfig(HTTPS).replace('"current-context":"ctx"', '"current-context":""'), ['kubeconfig: invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable'], []],
    ['no server', kubeconfig({ 'certificate-authority-data': b64(CA) }), ['server: invalid configuration: no server found for cluster "siem"'], []],
    ['host:port without a scheme', kubeconfig({ server: 'siem.example.com:8443' }), ['server: server "siem.example.com:8443": must be a URL with a scheme (https://host:port/path): client-go reads host:port as plain http, and then sends neither the CA check nor the credentials'], []],
    ['a URL without a host (a preset not filled in)', kubeconfig({ server: 'https://:9765/k8s-audit' }), ['server: server "https://:9765/k8s-audit": the URL has no host name'], []],
    ['another scheme', kubeconfig({ server: 'ftp://siem.example.com/' }), ['server: server "ftp://siem.example.com/": the scheme must be https (or http), not ftp'], []],
    ['a password in the URL (never shown)', kubeconfig({ server: 'https://bob:hunter2@siem.example.com/' }), ['server: server "https://siem.example.com/": the URL holds a user name or password; give the receiver\'s credentials as the user\'s token or client certificate'], []],
    ['a CA file on the node', kubeconfig({ server: 'https://siem', 'certificate-authority': '/etc/ssl/siem-ca.pem' }), ['ca: cluster "siem": certificate-authority "/etc/ssl/siem-ca.pem" names a file on the node: Rancher delivers this kubeconfig alone, and RKE2 mounts only the kubeconfig\'s own path into kube-apiserver\'s static pod; embed it as certificate-authority-data'], []],
    ['a CA file and CA data', kubeconfig({ ...HTTPS, 'certificate-authority': '/ca.pem' }), [
      'ca: invalid configuration: certificate-authority-data and certificate-authority are both specified for siem. certificate-authority-data will override.',
      'ca: cluster "siem": certificate-authority "/ca.pem" names a file on the node: Rancher delivers this kubeconfig alone, and RKE2 mounts only the kubeconfig\'s own path into kube-apiserver\'s static pod; embed it as certificate-authority-data',
    ], []],
    ['a token file', kubeconfig(HTTPS, { tokenFile: '/var/run/token' }), ['token: user "audit": tokenFile "/var/run/token" names a file on the node: Rancher delivers this kubeconfig alone, and RKE2 mounts only the kubeconfig\'s own path into kube-apiserver\'s static pod; embed it as token'], []],
    ['a certificate without its key', kubeconfig(HTTPS, { 'client-certificate-data': b64(CERT) }), ['clientKey: invalid configuration: client-key-data or client-key must be specified for audit to use the clientCert authentication method.'], []],
    ['a token and a password', kubeconfig(HTTPS, { token: 't', username: 'u', password: 'p' }), ['auth: invalid configuration: more than one authentication method found for audit; found [token basicAuth], only one is allowed'], []],
    ['an exec plugin without its interactiveMode', kubeconfig(HTTPS, { exec: { command: 'get-token', apiVersion: 'client.authentication.k8s.io/v1' } }), ['auth: invalid configuration: interactiveMode must be specified for audit to use exec authentication plugin'], ['auth: user "audit" authenticates with an exec plugin: it runs inside kube-apiserver, whose static pod holds only kube-apiserver\'s own binaries']],
    ['impersonation groups without a user', kubeconfig(HTTPS, { token: 't', 'as-groups': ['g'] }), ['auth: invalid configuration: requesting uid, groups or user-extra for audit without impersonating a user'], []],
    ['a CA and insecure-skip-tls-verify', kubeconfig({ ...HTTPS, 'insecure-skip-tls-verify': true }), ['ca: specifying a root certificates file with the insecure flag is not allowed'], []],
    ['insecure-skip-tls-verify alone', kubeconfig({ server: 'https://siem', 'insecure-skip-tls-verify': true }, { token: 't' }), [], ['ca: insecure-skip-tls-verify is set: kube-apiserver sends the audit events (and the credentials) to whoever answers at the server\'s address']],
    ['CA data that is a key', kubeconfig({ ...HTTPS, 'certificate-authority-data': b64(KEY) }), ['ca: unable to load root certificates: no valid certificate authority data seen'], []],
    ['CA data that is not PEM', kubeconfig({ ...HTTPS, 'certificate-authority-data': b64('not a certificate') }), ['ca: unable to load root certificates: unable to parse bytes as PEM block'], []],
    ['a client key that is a certificate', kubeconfig(HTTPS, { 'client-certificate-data': b64(CERT), 'client-key-data': b64(CERT) }), ['clientKey: tls: found a certificate rather than a key in the PEM for the private key'], []],
    ['certificate and key switched', kubeconfig(HTTPS, { 'client-certificate-data': b64(KEY), 'client-key-data': b64(CERT) }), ['clientCertificate: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched'], []],
    ['over http the CA is not read', kubeconfig({ server: 'http://siem', 'certificate-authority-data': b64('junk') }), [], ['server: server "http://siem" is http: the audit events go over the network in clear text, and client-go sends no credentials and checks no CA over http']],
  ];

  it.each(rows)('%s', (_what, text, errors, warnings) => {
    const got = checkKubeconfig(text);

    expect(got.errors.map((e) => `${ e.field }: ${ e.message }`)).toEqual(errors);
    expect(got.warnings.map((w) => `${ w.field }: ${ w.message }`)).toEqual(warnings);
  });

  it('no message holds the token, the key or certificate data', () => {
    const secrets = ['t0p-s3cret', b64(KEY).slice(0, 40), 'hunter2'];
    const texts = [
      kubeconfig({ server: 'https://bob:hunter2@siem' }, { token: 't0p-s3cret', username: 'x', 'client-key-data': b64(KEY) }),
      kubeconfig({ ...HTTPS, 'insecure-skip-tls-verify': true }, { token: 't0p-s3cret', 'client-certificate-data': b64(KEY), 'client-key-data': b64(KEY) }),
      'clusters:\n- {name: a, cluster: {server: "https://a"}}\n- {name: a, cluster: {server: "https://hunter2"}}\nusers:\n- {name: u, user: {token: t0p-s3cret}}\n- {name: u, user: {token: t0p-s3cret}}\n',
    ];

    for (const text of texts) {
      const { errors, warnings } = checkKubeconfig(text);
      const messages = [...errors, ...warnings].map((p) => p.message).join('\n');

      expect(errors.length + warnings.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(messages).not.toContain(secret);
      }
    }
  });

  it('loads the entries client-go uses, by name', () => {
    const loaded = loadKubeconfig(kubeconfig(HTTPS, { token: 't' }));

    expect(loaded.ok && loaded.config.currentContext).toBe('ctx');
    expect(loaded.ok && loaded.config.users.get('audit')?.token).toBe('t');
  });
});

describe('the TLS client\'s PEM checks', () => {
  it.each([
    ['the CA', CA, null],
    ['two certificates, the second broken', `${ CA }${ CA.replace('MIIB', 'MIIC') }`, null],
    ['a broken certificate', CA.replace('MIIB', 'MIIC'), 'unable to load root certificates: failed to parse certificate: x509: malformed certificate'],
    ['a key', KEY, 'unable to load root certificates: no valid certificate authority data seen'],
    ['a key and text after it', `${ KEY }trailing`, 'unable to load root certificates: unable to parse bytes as PEM block'],
    ['nothing', '', 'unable to load root certificates: no valid certificate authority data seen'],
  ])('CA data: %s', (_what, pem, error) => {
    expect(caDataError(pem)).toBe(error);
  });

  it.each([
    ['certificate and key', CERT, KEY, null],
    ['no certificate', '', KEY, 'tls: failed to find any PEM data in certificate input'],
    ['no key', CERT, '', 'tls: failed to find any PEM data in key input'],
    ['a CA request block as the key', CERT, KEY.replace(/PRIVATE KEY/g, 'EC PARAMETERS'), 'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [EC PARAMETERS]'],
    ['a key given as the certificate, with another block', KEY.replace(/PRIVATE KEY/g, 'PUBLIC KEY') + KEY, KEY, 'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PUBLIC KEY PRIVATE KEY]'],
    ['a key that is not DER', CERT, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'tls: failed to parse private key'],
  ])('key pair: %s', (_what, cert, key, error) => {
    expect(keyPairError(cert, key)).toBe(error);
  });

  it.each([
    ['', []], ['QQ==', [65]], ['QUJD', [65, 66, 67]], ['QU\r\nJD', [65, 66, 67]],
  ])('base64 %j', (text, bytes) => {
    expect(decodeGoBase64(text)).toEqual({ ok: true, bytes: Uint8Array.from(bytes) });
  });

  it.each([
    ['Q', 0], ['QQ=', 3], ['Q===', 1], ['QQ==QQ==', 4], ['QUJ@', 3],
  ])('base64 %j: illegal base64 data at input byte %d', (text, at) => {
    expect(decodeGoBase64(text)).toEqual({ ok: false, message: `illegal base64 data at input byte ${ at }` });
  });
});

describe('the form over the kubeconfig', () => {
  const HAND_MADE = `# the SIEM of team a
apiVersion: v1
kind: Config
clusters:
- name: siem # collector
  cluster:
    server: https://old.example.com/
    insecure-skip-tls-verify: true
- name: other
  cluster: {server: "https://other.example.com"}
users:
- name: u
  user:
    token: abc
contexts:
- name: c
  context: {cluster: siem, user: u}
current-context: c
`;

  it('shows the entries of current-context', () => {
    expect(webhookForm(HAND_MADE)).toEqual({
      server: 'https://old.example.com/', ca: '', auth: 'token', token: 'abc', clientCertificate: '', clientKey: '', editable: true
    });
  });

  it.each([
    ['token', kubeconfig(HTTPS, { token: 't' })],
    ['certificate', kubeconfig(HTTPS, { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY) })],
    ['none', kubeconfig(HTTPS, {})],
    ['other', kubeconfig(HTTPS, { username: 'u', password: 'p' })],
    ['other', kubeconfig(HTTPS, { token: 't', 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY) })],
    ['other', kubeconfig(HTTPS, { exec: { command: 'x' } })],
  ])('authentication %s', (auth, text) => {
    expect(webhookForm(text).auth).toBe(auth);
  });

  it('an edit changes the fields it edits, in the entries client-go uses, and keeps the rest (comments, other entries)', () => {
    const edited = editKubeconfig(HAND_MADE, { server: 'https://new.example.com:8443/audit', ca: CA });

    expect(edited).toBe(HAND_MADE
      .replace('    server: https://old.example.com/\n    insecure-skip-tls-verify: true\n', `    server: https://new.example.com:8443/audit\n    certificate-authority-data: ${ b64(CA) }\n`)
      .replace('{server: "https://other.example.com"}', '{ server: "https://other.example.com" }')
      .replace('{cluster: siem, user: u}', '{ cluster: siem, user: u }'));
    expect(checkKubeconfig(edited).errors).toEqual([]);
  });

  it.each([
    ['token -> certificate', { auth: 'certificate', clientCertificate: CERT, clientKey: KEY }, { auth: 'certificate', token: '', clientCertificate: CERT, clientKey: KEY }],
    ['token -> none', { auth: 'none' }, { auth: 'none', token: '' }],
    ['a token that YAML 1.1 reads as a boolean stays a string', { token: 'on' }, { auth: 'token', token: 'on' }],
  ] as [string, Parameters<typeof editKubeconfig>[1], Partial<ReturnType<typeof webhookForm>>][])('%s', (_what, patch, expected) => {
    const edited = editKubeconfig(HAND_MADE, patch);

    expect(webhookForm(edited)).toMatchObject(expected);
    expect(checkKubeconfig(edited).errors).toEqual([]);
  });

  it('a text that is not a kubeconfig is written anew, with entries named audit-webhook', () => {
    const fresh = editKubeconfig('not: [a kubeconfig', { server: 'https://siem.example.com/', auth: 'token', token: 't' });

    expect(fresh).toBe(`apiVersion: v1
kind: Config
clusters:
- name: audit-webhook
  cluster:
    server: https://siem.example.com/
users:
- name: audit-webhook
  user:
    token: t
contexts:
- name: audit-webhook
  context:
    cluster: audit-webhook
    user: audit-webhook
current-context: audit-webhook
`);
    expect(checkKubeconfig(fresh)).toMatchObject({ errors: [], warnings: [] });
  });

  it.each([
    ['Falco on the typed host (the token typed so far is kept)', 'https://falco.example.com/', 'falco', 'https://falco.example.com:9765/k8s-audit', 'none', { truncateEnabled: 'true' }],
    ['Falco with nothing typed yet: the host is left to fill in', '', 'falco', 'https://:9765/k8s-audit', 'none', { truncateEnabled: 'true' }],
    ['a generic HTTPS receiver', 'http://10.0.0.5:8080/x', 'https', 'https://10.0.0.5/', 'token', {}],
    ['an IPv6 host is kept', 'https://[fd00::5]:1/', 'falco', 'https://[fd00::5]:9765/k8s-audit', 'none', { truncateEnabled: 'true' }],
  ] as [string, string, 'falco' | 'https', string, string, Record<string, string>][])('preset: %s', (_what, server, id, url, auth, flags) => {
    const before: WebhookSettings = {
      enabled: true, kubeconfig: server ? editKubeconfig('', { server, auth: 'token', token: 'kept' }) : '', file: { name: 'w', key: 'k', path: '/w', nodeSelector: {}, hash: true }, flags: {}
    };
    const after = applyWebhookPreset(before, id);

    expect(webhookForm(after.kubeconfig)).toMatchObject({ server: url, token: server ? 'kept' : '' });
    expect(WEBHOOK_PRESETS.find((p) => p.id === id)?.auth).toBe(auth);
    expect(after.flags).toEqual(flags);
  });
});
