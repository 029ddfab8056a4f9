/**
 * The Rancher API stand-in (tests/rancher): steve CRUD semantics, conflicts, permissions, the node-plan emulation,
 * the /__sim API and its protection, and what hostile callers get (no passwords, no 500s). The server runs
 * in-process on a free port.
 */
import http, { IncomingHttpHeaders } from 'http';
import { createStandIn, StandIn } from '../../rancher/server';
import { AUTHORIZED_ANNOTATION, K3S_POLICY_KEY, policyText, SEED, sha256Base64 } from '../../rancher/seed';
import { USERS } from '../../rancher/types';

type Json = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

let si: StandIn;
let adminToken: string;
let restrictedToken: string;

async function call(method: string, path: string, body?: unknown, token: string | null = adminToken, contentType = 'application/json'): Promise<{ status: number, body: Json, headers: Headers }> {
  const headers: Record<string, string> = {};

  if (token) {
    headers.Authorization = `Bearer ${ token }`;
  }
  if (path.startsWith('/__sim/')) {
    headers['X-Sim-Token'] = si.simToken as string;
  }
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
  }
  const res = await fetch(`${ si.url }${ path }`, { method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  const text = await res.text();
  let parsed: Json;

  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }

  return { status: res.status, body: parsed, headers: res.headers };
}

const PROV = '/v1/provisioning.cattle.io.clusters';
const SECRETS = '/v1/secrets';

beforeAll(async() => {
  si = await createStandIn({ port: 0, simApi: true });
});
afterAll(async() => {
  await si.close();
});
beforeEach(async() => {
  await call('POST', '/__sim/reset', undefined, null);
  adminToken = si.tokenFor('admin');
  restrictedToken = si.tokenFor('restricted');
});

describe('login', () => {
  it.each([
    ['admin', 'admin-password-1234', 200],
    ['restricted', 'restricted-password-1234', 200],
    ['admin', 'wrong', 401],
  ])('v1-public/login %s/%s -> %i (200 sets a working R_SESS cookie)', async(username, password, status) => {
    const res = await fetch(`${ si.url }/v1-public/login`, { method: 'POST', body: JSON.stringify({ type: 'localProvider', responseType: 'cookie', username, password }) });

    expect(res.status).toBe(status);
    if (status === 200) {
      const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
      const me = await fetch(`${ si.url }/v3/principals`, { headers: { Cookie: cookie } });

      expect(me.headers.get('x-api-cattle-auth')).toBe('true');
      expect((await me.json()).data[0]).toMatchObject({ me: true, loginName: username, provider: 'local' });
    }
  });

  it('v3-public local login returns a token; no session -> 401 with X-Api-Cattle-Auth false', async() => {
    const res = await call('POST', '/v3-public/localProviders/local?action=login', { username: 'admin', password: 'admin-password-1234' }, null);

    expect(res.body.token).toMatch(/^token-/);
    const anon = await call('GET', PROV, undefined, null);

    expect(anon.status).toBe(401);
    expect(anon.headers.get('x-api-cattle-auth')).toBe('false');
    expect(anon.body).toMatchObject({ type: 'error', code: 'Unauthorized', status: 401 });
  });
});

describe('steve CRUD', () => {
  it('lists and gets the seeded clusters in steve shape', async() => {
    const list = await call('GET', `${ PROV }?exclude=metadata.managedFields`);

    expect(list.body.type).toBe('collection');
    expect(list.body.data.map((c: Json) => c.id)).toEqual(expect.arrayContaining(Object.values(SEED).map((s) => `fleet-default/${ s.name }`)));
    const one = await call('GET', `${ PROV }/fleet-default/${ SEED.rke2Inline.name }`);

    expect(one.body).toMatchObject({ id: `fleet-default/${ SEED.rke2Inline.name }`, type: 'provisioning.cattle.io.cluster', metadata: { state: { name: 'active' } } });
    expect(one.body.links.update).toMatch(new RegExp(`/v1/provisioning.cattle.io.clusters/fleet-default/${ SEED.rke2Inline.name }$`));
    expect(one.body.metadata.fields).toHaveLength(6);
    expect(one.body.spec.rkeConfig.machineGlobalConfig['audit-policy-file']).toContain('audit.k8s.io/v1');
    const mgmt = await call('GET', `/v1/management.cattle.io.clusters/${ one.body.status.clusterName }`);

    expect(mgmt.body.metadata.relationships[0]).toMatchObject({ fromId: `fleet-default/${ SEED.rke2Inline.name }`, rel: 'applies' });
    expect(mgmt.body.status).toMatchObject({ provider: 'rke2', driver: 'imported' });
  });

  it('PUT bumps resourceVersion; a stale resourceVersion gets 409 Conflict', async() => {
    const path = `${ PROV }/fleet-default/${ SEED.rke2.name }`;
    const before = (await call('GET', path)).body;
    const edited = { ...before, spec: { ...before.spec, rkeConfig: { ...before.spec.rkeConfig, machineGlobalConfig: { ...before.spec.rkeConfig.machineGlobalConfig, 'kube-apiserver-arg': ['audit-log-maxage=31'] } } } };
    const put = await call('PUT', path, edited);

    expect(put.status).toBe(200);
    expect(Number(put.body.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect(put.body.status.clusterName).toBe(before.status.clusterName); // status is a subresource
    const stale = await call('PUT', path, edited);

    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({
      type: 'error', links: {}, status: 409, code: 'Conflict', message: `Operation cannot be fulfilled on clusters.provisioning.cattle.io "${ SEED.rke2.name }": the object has been modified; please apply your changes to the latest version and try again`
    });
  });

  it('POST /__sim/bump makes the UI\'s next PUT conflict', async() => {
    const path = `${ PROV }/fleet-default/${ SEED.k3s.name }`;
    const before = (await call('GET', path)).body;
    const bumped = await call('POST', `/__sim/bump/provisioning.cattle.io.cluster/fleet-default/${ SEED.k3s.name }`, undefined, null);

    expect(bumped.body.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);
    expect((await call('PUT', path, before)).status).toBe(409);
  });

  it('POST with generateName, YAML PUT, DELETE', async() => {
    const created = await call('POST', SECRETS, { type: 'secret', _type: 'Opaque', metadata: { generateName: 'audit-policy-', namespace: 'fleet-default' }, data: { policy: Buffer.from('x').toString('base64') } });

    expect(created.status).toBe(201);
    expect(created.body.metadata.name).toMatch(/^audit-policy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(created.body).toMatchObject({ type: 'secret', _type: 'Opaque', id: `fleet-default/${ created.body.metadata.name }` });
    const yamlBody = `id: ${ created.body.id }\ntype: secret\n_type: Opaque\nmetadata:\n  name: ${ created.body.metadata.name }\n  namespace: fleet-default\n  resourceVersion: "${ created.body.metadata.resourceVersion }"\ndata:\n  policy: eQ==\n`;
    const put = await call('PUT', `${ SECRETS }/${ created.body.id }`, yamlBody, adminToken, 'application/yaml');

    expect(put.status).toBe(200);
    expect(put.body.data.policy).toBe('eQ==');
    expect((await call('DELETE', `${ SECRETS }/${ created.body.id }`)).status).toBe(200);
    expect((await call('GET', `${ SECRETS }/${ created.body.id }`)).status).toBe(404);
  });

  it('creating a provisioning cluster creates its management cluster', async() => {
    const created = await call('POST', PROV, { type: 'provisioning.cattle.io.cluster', metadata: { name: 'new-one', namespace: 'fleet-default' }, spec: { kubernetesVersion: 'v1.36.2+rke2r1', rkeConfig: {} } });

    expect(created.status).toBe(201);
    expect(created.body.status.clusterName).toMatch(/^c-m-/);
    expect((await call('GET', `/v1/management.cattle.io.clusters/${ created.body.status.clusterName }`)).status).toBe(200);
    expect((await call('POST', PROV, { metadata: { name: 'new-one', namespace: 'fleet-default' } })).body.code).toBe('AlreadyExists');
  });
});

describe('the restricted user', () => {
  it('sees a secret schema without POST/PUT and no update link on fleet-default Secrets', async() => {
    const schema = (await call('GET', '/v1/schemas/secret', undefined, restrictedToken)).body;

    expect(schema.collectionMethods).not.toContain('POST');
    expect(schema.resourceMethods).not.toContain('PUT');
    expect((await call('GET', '/v1/schemas/secret')).body.collectionMethods).toContain('POST');
    expect((await call('GET', '/v1/schemas/provisioning.cattle.io.cluster', undefined, restrictedToken)).body.resourceMethods).toContain('PUT');
    const secret = (await call('GET', `${ SECRETS }/fleet-default/${ SEED.k3sSecret.secret }`, undefined, restrictedToken)).body;

    expect(secret.links.update).toBeUndefined();
  });

  it.each([
    ['POST', SECRETS, `secrets is forbidden: User "user-restricted" cannot create resource "secrets" in API group "" in the namespace "fleet-default"`],
    ['PUT', `${ SECRETS }/fleet-default/${ SEED.k3sSecret.secret }`, `secrets "${ SEED.k3sSecret.secret }" is forbidden: User "user-restricted" cannot update resource "secrets" in API group "" in the namespace "fleet-default"`],
  ])('%s %s -> 403', async(method, path, message) => {
    const res = await call(method, path, { type: 'secret', metadata: { name: SEED.k3sSecret.secret, namespace: 'fleet-default' }, data: {} }, restrictedToken);

    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ type: 'error', code: 'Forbidden', status: 403, message });
    const log = (await call('GET', '/__sim/requests', undefined, null)).body;

    expect(log[log.length - 1]).toMatchObject({ method, status: 403, user: 'restricted', type: 'secret' });
  });

  it('may still edit clusters', async() => {
    const path = `${ PROV }/fleet-default/${ SEED.rke2.name }`;
    const c = (await call('GET', path, undefined, restrictedToken)).body;

    expect((await call('PUT', path, c, restrictedToken)).status).toBe(200);
  });
});

describe('bad input gets a steve-shaped 4xx', () => {
  it.each([
    ['PUT', `${ PROV }/fleet-default/${ SEED.rke2.name }`, '{not json', 422, 'InvalidBodyContent'],
    ['POST', SECRETS, '[1,2]', 422, 'InvalidBodyContent'],
    ['GET', '/v1/no.such.types', undefined, 404, 'NotFound'],
    ['GET', `${ PROV }/fleet-default/a/b`, undefined, 404, 'NotFound'],
    ['GET', `${ PROV }/fleet-default/missing`, undefined, 404, 'NotFound'],
    ['POST', SECRETS, '{"metadata":{"namespace":"fleet-default"}}', 422, 'Invalid'],
    ['POST', SECRETS, '{"metadata":{"name":"x","namespace":"nope"}}', 404, 'NotFound'],
    ['PUT', `${ PROV }/fleet-default/${ SEED.rke2.name }`, '{"metadata":{"name":"other"}}', 400, 'BadRequest'],
    ['PATCH', `${ PROV }/fleet-default/${ SEED.rke2.name }`, '{}', 405, 'MethodNotAllowed'],
    ['GET', '/nowhere', undefined, 404, 'NotFound'],
  ])('%s %s %s -> %i %s', async(method, path, body, status, code) => {
    const res = await call(method, path, body);

    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ type: 'error', status, code });
    expect((await call('GET', '/v1/schemas')).status).toBe(200); // still alive
  });
});

describe('node-plan emulation', () => {
  const plan = async(name: string) => (await call('GET', `/__sim/clusters/${ name }/node-plan`, undefined, null)).body;
  const cp = (p: Json) => p.nodes.find((n: Json) => n.roles.includes('controlplane'));
  const setSecretAnnotation = async(value: string) => {
    const path = `${ SECRETS }/fleet-default/${ SEED.k3sSecret.secret }`;
    const s = (await call('GET', path)).body;

    s.metadata.annotations[AUTHORIZED_ANNOTATION] = value;
    expect((await call('PUT', path, s)).status).toBe(200);
  };

  it('RKE2 inline: config-files/audit-policy-file on every node, RKE2 audit defaults, policy loadable', async() => {
    const p = await plan(SEED.rke2Inline.name);
    const node = cp(p);

    expect(p.error).toBeUndefined();
    expect(node.files[0]).toMatchObject({ path: '/var/lib/rancher/rke2/etc/config-files/audit-policy-file', content: policyText('rancher-docs-rke2-machineglobalconfig-example.yaml') });
    expect(node.kubeApiserver.auditArgs).toEqual([
      '--audit-policy-file=/var/lib/rancher/rke2/etc/config-files/audit-policy-file', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100', '--audit-log-path=/var/lib/rancher/rke2/server/logs/audit.log',
    ]);
    expect(node.policy).toMatchObject({ delivered: true, loadable: true, errors: [] });
    // audit-policy-file is an agent arg in KDM: the worker gets the file too
    expect(p.nodes.find((n: Json) => n.roles.includes('worker')).files).toHaveLength(1);
  });

  it('K3s drops audit-policy-file (not in KDM) and adds no defaults', async() => {
    const path = `${ PROV }/fleet-default/${ SEED.k3s.name }`;
    const c = (await call('GET', path)).body;

    c.spec.rkeConfig.machineGlobalConfig['audit-policy-file'] = 'rules: []';
    await call('PUT', path, c);
    const node = cp(await plan(SEED.k3s.name));

    expect(node.files).toEqual([]);
    expect(node.kubeApiserver.auditArgs).toEqual([]);
    expect(node.policy).toBeUndefined();
  });

  it('K3s authorized Secret: delivered to the control-plane machine only, hash checked, loadable', async() => {
    const p = await plan(SEED.k3sSecret.name);

    expect(p.error).toBeUndefined();
    expect(cp(p).policy).toMatchObject({ path: '/var/lib/rancher/k3s/server/audit.yaml', delivered: true, loadable: true });
    expect(cp(p).kubeApiserver.auditArgs[0]).toBe('--audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml');
    expect(p.nodes.find((n: Json) => n.roles.includes('worker')).files).toEqual([]);
  });

  it.each([
    ['other-cluster'],
    [`other, ${ SEED.k3sSecret.name }`],
    [` ${ SEED.k3sSecret.name }`],
    [''],
  ])('unauthorized Secret (annotation %j) -> Rancher\'s error', async(annotation) => {
    await setSecretAnnotation(annotation);
    const p = await plan(SEED.k3sSecret.name);

    expect(p.error).toBe(`error rendering files: cluster fleet-default/${ SEED.k3sSecret.name } was not authorized to access secret fleet-default/${ SEED.k3sSecret.secret }`);
    expect(cp(p).files).toEqual([]);
  });

  it('authorized by one entry of a list (no spaces)', async() => {
    await setSecretAnnotation(`other,${ SEED.k3sSecret.name }`);
    expect((await plan(SEED.k3sSecret.name)).error).toBeUndefined();
  });

  it('hash mismatch -> Rancher\'s error; a bad policy in the Secret is reported by readPolicy', async() => {
    const path = `${ SECRETS }/fleet-default/${ SEED.k3sSecret.secret }`;
    const s = (await call('GET', path)).body;
    const bad = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Everything\n';

    s.data[K3S_POLICY_KEY] = Buffer.from(bad).toString('base64');
    await call('PUT', path, s);
    expect((await plan(SEED.k3sSecret.name)).error).toBe(`secret ${ SEED.k3sSecret.secret } does not contain the expected content`);

    const cPath = `${ PROV }/fleet-default/${ SEED.k3sSecret.name }`;
    const c = (await call('GET', cPath)).body;

    c.spec.rkeConfig.machineSelectorFiles[0].fileSources[0].secret.items[0].hash = sha256Base64(bad);
    await call('PUT', cPath, c);
    const policy = cp(await plan(SEED.k3sSecret.name)).policy;

    expect(policy.loadable).toBe(false);
    expect(policy.errors[0].path).toBe('rules[0].level');
  });

  it('missing Secret -> Rancher\'s retrieval error', async() => {
    await call('DELETE', `${ SECRETS }/fleet-default/${ SEED.k3sSecret.secret }`);
    expect((await plan(SEED.k3sSecret.name)).error).toBe(`error retrieving secret fleet-default/${ SEED.k3sSecret.secret } while rendering files: secrets "${ SEED.k3sSecret.secret }" not found`);
  });

  it('RKE1: auditLog -> /etc/kubernetes/audit-policy.yaml and flags', async() => {
    const p = await plan(SEED.rke1.name);
    const node = cp(p);

    expect(p.runtime).toBe('rke1');
    expect(node.files[0].path).toBe('/etc/kubernetes/audit-policy.yaml');
    expect(node.kubeApiserver.effective).toEqual({
      'audit-log-path': '/var/log/kube-audit/audit-log.json', 'audit-log-maxage': '30', 'audit-log-maxbackup': '10', 'audit-log-maxsize': '100', 'audit-log-format': 'json', 'audit-policy-file': '/etc/kubernetes/audit-policy.yaml'
    });
    expect(node.policy).toMatchObject({ delivered: true, loadable: true });
  });

  it('unknown cluster -> 404', async() => {
    expect((await call('GET', '/__sim/clusters/nope/node-plan', undefined, null)).status).toBe(404);
  });
});

describe('/__sim', () => {
  it('reset restores the seed and clears the request log', async() => {
    await call('DELETE', `${ PROV }/fleet-default/${ SEED.rke2.name }`);
    expect((await call('GET', '/__sim/requests', undefined, null)).body).toHaveLength(1);
    await call('POST', '/__sim/reset', undefined, null);
    expect((await call('GET', `${ PROV }/fleet-default/${ SEED.rke2.name }`, undefined, si.tokenFor('admin'))).status).toBe(200);
    expect((await call('GET', '/__sim/requests', undefined, null)).body).toEqual([]);
  });

  it('reset with {"fleet": N, "secrets": M} adds the generated fleet to the default seed; a plain reset drops it', async() => {
    const reset = await call('POST', '/__sim/reset', { fleet: 20, secrets: 15 }, null);

    expect(reset.body.fleet).toEqual({ clusters: 20, secrets: 15, configMaps: 2 });
    expect((await call('GET', `${ PROV }/fleet-default/fleet-0001`)).status).toBe(200);
    expect((await call('GET', `${ PROV }/fleet-default/${ SEED.rke2.name }`)).status).toBe(200);
    await call('POST', '/__sim/reset', undefined, null);
    expect((await call('GET', `${ PROV }/fleet-default/fleet-0001`, undefined, si.tokenFor('admin'))).status).toBe(404);
  });

  it('reset with sharedBy K: each shared Secret is read by K clusters', async() => {
    await call('POST', '/__sim/reset', { fleet: 20, sharedBy: 3 }, null);
    const secret = (await call('GET', `${ SECRETS }/fleet-default/fleet-shared-audit-policy-1`, undefined, si.tokenFor('admin'))).body;

    expect(secret.metadata.annotations[AUTHORIZED_ANNOTATION]).toBe('fleet-0009,fleet-0010,fleet-0011');
  });

  it.each([
    [{ fleet: -1 }], [{ fleet: 1.5 }], [{ fleet: 'x' }], [{ fleet: 5001 }], [{ fleet: 1, secrets: -2 }], [{ fleet: 1, sharedBy: 0 }],
  ])('reset refuses %j', async(options) => {
    expect((await call('POST', '/__sim/reset', options, null)).status).toBe(422);
  });

  it('GET objects returns kube-native objects', async() => {
    const secrets = (await call('GET', '/__sim/objects/secret', undefined, null)).body;

    expect(secrets[0]).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque' });
    expect(secrets[0].id).toBeUndefined();
  });
});

describe('/__sim/faults', () => {
  const path = `${ PROV }/fleet-default/${ SEED.k3s.name }`;
  const fault = (status: number, extra: Json = {}) => call('POST', '/__sim/faults', {
    method: 'PUT', type: 'provisioning.cattle.io.cluster', id: `fleet-default/${ SEED.k3s.name }`, status, ...extra
  }, null);

  it.each([
    [403, 'Forbidden', `clusters.provisioning.cattle.io "${ SEED.k3s.name }" is forbidden: User "user-admin" cannot update resource "clusters" in API group "provisioning.cattle.io" in the namespace "fleet-default"`],
    [409, 'Conflict', `Operation cannot be fulfilled on clusters.provisioning.cattle.io "${ SEED.k3s.name }": the object has been modified; please apply your changes to the latest version and try again`],
    [503, 'ServiceUnavailable', 'the server is currently unable to handle the request'],
  ])('a %i fault answers the next matching write once with kube\'s message, then the write goes through', async(status, code, message) => {
    const before = (await call('GET', path)).body;

    expect((await fault(status)).status).toBe(200);
    const failed = await call('PUT', path, before);

    expect(failed.status).toBe(status);
    expect(failed.body).toMatchObject({ code, message: message.replace('user-admin', USERS[0].id) });
    expect((await call('GET', path)).body.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await call('PUT', path, before)).status).toBe(200);
  });

  it('status 0 closes the connection without an answer; times counts the failures; the log records them', async() => {
    const before = (await call('GET', path)).body;

    await fault(0, { times: 2 });
    await expect(call('PUT', path, before)).rejects.toThrow();
    await expect(call('PUT', path, before)).rejects.toThrow();
    expect((await call('PUT', path, before)).status).toBe(200);
    const log = (await call('GET', '/__sim/requests', undefined, null)).body as Json[];

    expect(log.map((r) => r.status)).toEqual([0, 0, 200]);
  });

  it('matches method, type and id only; DELETE and reset clear the faults', async() => {
    const before = (await call('GET', path)).body;

    await fault(403);
    expect((await call('PUT', `${ PROV }/fleet-default/${ SEED.rke2.name }`, (await call('GET', `${ PROV }/fleet-default/${ SEED.rke2.name }`)).body)).status).toBe(200);
    expect((await call('GET', '/__sim/faults', undefined, null)).body).toHaveLength(1);
    await call('DELETE', '/__sim/faults', undefined, null);
    expect((await call('PUT', path, before)).status).toBe(200);
    await fault(403);
    await call('POST', '/__sim/reset', undefined, null);
    expect((await call('GET', '/__sim/faults', undefined, null)).body).toEqual([]);
  });

  it.each([
    [{ method: 'GET', type: 'secret', id: 'a/b', status: 403 }],
    [{ method: 'PUT', type: 'nope', id: 'a/b', status: 403 }],
    [{ method: 'PUT', type: 'secret', id: 'a/b', status: 404 }],
    [{ method: 'PUT', type: 'secret', status: 403 }],
  ])('refuses %j', async(body) => {
    expect((await call('POST', '/__sim/faults', body, null)).status).toBe(422);
  });
});

/** One request with exactly these headers and this request target (no client-side URL normalisation). */
function raw(server: StandIn, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number, text: string, headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: server.port, method, path, headers, agent: false
    }, (res) => {
      const chunks: Buffer[] = [];

      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode as number, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });

    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode as number, text: '', headers: res.headers });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('/__sim access', () => {
  let off: StandIn;
  const clusterPath = `${ PROV }/fleet-default/${ SEED.rke2.name }`;
  const evil = 'http://evil.example';

  beforeAll(async() => {
    off = await createStandIn({ port: 0 });
  });
  afterAll(async() => {
    await off.close();
  });

  it('a stand-in started without simApi has no token; one started with it has a random one', async() => {
    const other = await createStandIn({ port: 0, simApi: true });

    expect(off.simToken).toBeNull();
    expect(si.simToken).toMatch(/^[0-9a-f]{64}$/);
    expect(other.simToken).toMatch(/^[0-9a-f]{64}$/);
    expect(other.simToken).not.toBe(si.simToken);
    await other.close();
  });

  type Row = [string, 'off' | 'on', string, string, number, (token: string) => Record<string, string>];
  const rows: Row[] = [
    ['API off, no token', 'off', 'GET', '/__sim/requests', 404, () => ({})],
    ['API off, POST reset with the other stand-in\'s token', 'off', 'POST', '/__sim/reset', 404, (t) => ({ 'X-Sim-Token': t })],
    ['API off, users', 'off', 'GET', '/__sim/users', 404, () => ({})],
    ['no token', 'on', 'GET', '/__sim/requests', 401, () => ({})],
    ['POST reset without a token', 'on', 'POST', '/__sim/reset', 401, () => ({})],
    ['a wrong token', 'on', 'POST', '/__sim/reset', 401, (t) => ({ 'X-Sim-Token': 'f'.repeat(t.length) })],
    ['a prefix of the token', 'on', 'POST', '/__sim/reset', 401, (t) => ({ 'X-Sim-Token': t.slice(0, 16) })],
    ['the token with a suffix', 'on', 'POST', '/__sim/reset', 401, (t) => ({ 'X-Sim-Token': `${ t }0` })],
    ['the token in a cookie', 'on', 'POST', '/__sim/reset', 401, (t) => ({ Cookie: `X-Sim-Token=${ t }; R_SESS=${ t }` })],
    ['the token in the query', 'on', 'POST', '/__sim/reset?X-Sim-Token=TOKEN', 401, () => ({})],
    ['a user session instead of the token', 'on', 'POST', '/__sim/reset', 401, () => ({ Authorization: `Bearer ${ adminToken }` })],
    ['cross-origin with the token', 'on', 'POST', '/__sim/reset', 403, (t) => ({ 'X-Sim-Token': t, Origin: evil })],
    ['a cross-origin form POST', 'on', 'POST', '/__sim/reset', 403, () => ({ Origin: evil, 'Content-Type': 'application/x-www-form-urlencoded' })],
    ['Origin null with the token', 'on', 'POST', '/__sim/reset', 403, (t) => ({ 'X-Sim-Token': t, Origin: 'null' })],
    ['another port of this host with the token', 'on', 'POST', '/__sim/reset', 403, (t) => ({ 'X-Sim-Token': t, Origin: `http://127.0.0.1:${ si.port + 1 }` })],
    ['the dashboard\'s origin with the token', 'on', 'POST', '/__sim/reset', 403, (t) => ({ 'X-Sim-Token': t, Origin: 'https://localhost:8005' })],
    ['Sec-Fetch-Site cross-site with the token', 'on', 'POST', '/__sim/reset', 403, (t) => ({ 'X-Sim-Token': t, 'Sec-Fetch-Site': 'cross-site' })],
    ['the token', 'on', 'POST', '/__sim/reset', 200, (t) => ({ 'X-Sim-Token': t })],
    ['the token and the stand-in\'s own Origin', 'on', 'POST', '/__sim/reset', 200, (t) => ({ 'X-Sim-Token': t, Origin: si.url })],
    ['the token, Origin localhost, Sec-Fetch-Site same-origin', 'on', 'POST', '/__sim/reset', 200, (t) => ({ 'X-Sim-Token': t, Origin: `http://localhost:${ si.port }`, 'Sec-Fetch-Site': 'same-origin' })],
    ['the token, GET requests', 'on', 'GET', '/__sim/requests', 200, (t) => ({ 'X-Sim-Token': t })],
    ['the token, GET users (gone: it answered passwords)', 'on', 'GET', '/__sim/users', 404, (t) => ({ 'X-Sim-Token': t })],
  ];

  it.each(rows)('%s: API %s, %s %s -> %i; only an accepted reset resets', async(_, api, method, path, status, headers) => {
    const server = api === 'on' ? si : off;
    const token = si.simToken as string;

    expect((await call('DELETE', clusterPath)).status).toBe(200);
    const res = await raw(server, method, path.replace('TOKEN', token), headers(token));

    expect(res.status).toBe(status);
    if (status !== 200) {
      expect(JSON.parse(res.text)).toMatchObject({ type: 'error', status });
    }
    const reset = (await call('GET', clusterPath, undefined, si.tokenFor('admin'))).status === 200;

    expect(reset).toBe(api === 'on' && path === '/__sim/reset' && status === 200);
  });
});

describe('no route answers a password', () => {
  const PASSWORDS = USERS.map((u) => u.password);
  const leaks = (text: string) => PASSWORDS.filter((p) => text.includes(p) || text.includes(Buffer.from(p).toString('base64')));
  const json = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const strings = (v: unknown): string[] => {
    if (typeof v === 'string') {
      return [v];
    }
    if (v && typeof v === 'object') {
      return Object.values(v).flatMap(strings);
    }

    return [];
  };

  it('walks the logins, /__sim/*, /v1/*, /v3/* and the public routes as admin, restricted and anonymous', async() => {
    const sessions: Record<string, Record<string, string>> = {
      admin: { Authorization: `Bearer ${ adminToken }` }, restricted: { Authorization: `Bearer ${ restrictedToken }` }, anonymous: {}
    };
    const simHeader = { 'X-Sim-Token': si.simToken as string };
    const answered: string[] = [];
    const leaked: string[] = [];
    const visit = async(method: string, path: string, headers: Record<string, string>, body?: string) => {
      const res = await raw(si, method, path, { ...headers, ...(path.startsWith('/__sim/') ? simHeader : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) }, body);

      expect(res.status).toBeLessThan(500);
      answered.push(`${ res.status } ${ method } ${ path }`);
      if (leaks(res.text + JSON.stringify(res.headers)).length) {
        leaked.push(`${ method } ${ path }`);
      }

      return res;
    };

    // logins first (right and wrong), so the request log the walk reads holds them
    for (const u of USERS) {
      for (const password of [u.password, `${ u.password }x`]) {
        for (const responseType of ['cookie', undefined]) {
          await visit('POST', '/v1-public/login', {}, JSON.stringify({ type: 'localProvider', username: u.username, password, responseType }));
        }
        await visit('POST', '/v3-public/localProviders/local?action=login', {}, JSON.stringify({ username: u.username, password }));
      }
    }
    for (const headers of Object.values(sessions)) {
      await visit('POST', '/v1/ext.cattle.io.selfusers', headers, '{}');
      await visit('PUT', '/v1/userpreferences/me', headers, JSON.stringify({ data: { theme: 'dark' } }));
      await visit('POST', '/v3/tokens?action=logout', headers);
    }
    await visit('POST', `/__sim/bump/provisioning.cattle.io.cluster/fleet-default/${ SEED.rke2.name }`, {}, '{}');
    await visit('POST', '/v1-public/logout', {});

    const queue = [
      '/__sim/requests', '/__sim/users', '/v1/schemas', '/v1/counts', '/v1/userpreferences', '/v1/uiplugins', '/v3/schemas', '/v3/principals', '/v3/users', '/v3/settings',
      '/v3/tokens', '/v3/clusters', '/v3/cloudcredentials', '/v3/authconfigs', '/v3/clusterroletemplatebindings', '/v1-public/authproviders', '/v3-public/authProviders',
      '/rancherversion', '/version', '/healthz', '/ping', '/v1-rke2-release/releases', '/v1-k3s-release/releases', '/v1-rke2-release/channels', '/v1-k3s-release/channels',
    ];
    const done = new Set<string>();

    // bounded: a route that hands out ever longer links fails the size check below instead of hanging
    for (let path = queue.shift(); path !== undefined && done.size < 5000; path = queue.shift()) {
      if (done.has(path)) {
        continue;
      }
      done.add(path);
      for (const headers of Object.values(sessions)) {
        const res = await visit('GET', path, headers);
        const body = json(res.text);

        // follow every link the stand-in hands out (schemas -> collections -> objects)
        queue.push(...strings(body).filter((v) => v.startsWith(`${ si.url }/`) && !/[\s{]/.test(v)).map((v) => v.slice(si.url.length)));
        // and every object the test API lists, plus the node-plan of every cluster
        const listed = path.match(/^\/__sim\/objects\/([^/]+)$/);

        if (listed && Array.isArray(body)) {
          queue.push(...body.map((o) => `${ path }/${ o.metadata.namespace ? `${ o.metadata.namespace }/` : '' }${ o.metadata.name }`));
          if (listed[1].endsWith('.cluster')) {
            queue.push(...body.map((o) => `/__sim/clusters/${ o.metadata.name }/node-plan`));
          }
        }
        if (path === '/v1/schemas' && Array.isArray((body as Json)?.data)) {
          queue.push(...(body as Json).data.flatMap((sc: Json) => [`/__sim/objects/${ sc.id }`, `/v1/schemaDefinitions/${ sc.id }`]));
        }
      }
    }

    expect(leaked).toEqual([]);
    // the walk reached what it is meant to: the request log with the logins in it, objects, node-plans, users
    expect(answered).toEqual(expect.arrayContaining([
      '200 GET /__sim/requests', '404 GET /__sim/users', '200 GET /v3/users', '200 GET /v1/management.cattle.io.users/user-admin', '401 POST /v1-public/login',
      `200 GET /v1/provisioning.cattle.io.clusters/fleet-default/${ SEED.rke2.name }`, `200 GET /__sim/objects/secret/fleet-default/${ SEED.k3sSecret.secret }`,
      `200 GET /__sim/clusters/${ SEED.rke1.name }/node-plan`, `200 GET /__sim/clusters/${ SEED.k3sSecret.name }/node-plan`,
    ]));
    expect((await call('GET', '/__sim/requests', undefined, null)).body.filter((r: Json) => r.path === '/v1-public/login')).toHaveLength(USERS.length * 4);
    expect(done.size).toBeGreaterThan(100);
    expect(done.size).toBeLessThan(5000);
  }, 60000);
});

describe('hostile requests get a 4xx, never a 500', () => {
  const PRINCIPALS = '/v3/principals';

  it.each([
    ['malformed percent-encoding', 401, () => 'R_SESS=%E0%A4%A'],
    ['a lone %', 401, () => 'R_SESS=%'],
    ['%ZZ', 401, () => 'R_SESS=%ZZ%'],
    ['invalid UTF-8', 401, () => 'R_SESS=%FF%FE'],
    ['a surrogate half', 401, () => 'R_SESS=%ED%A0%80'],
    ['huge (12 KB)', 401, () => `R_SESS=${ 'x'.repeat(12000) }`],
    ['huge and malformed', 401, () => `R_SESS=${ '%E0'.repeat(4000) }`],
    ['garbage', 401, () => ';;==;R_SESS;=x;R_SESS'],
    ['latin-1 bytes', 401, () => 'R_SESS=\u00ff\u00fe'],
    ['prototype names', 401, () => '__proto__=%; constructor=%E0; R_SESS=nope'],
    ['a session token percent-encoded', 200, () => `R_SESS=${ encodeURIComponent(adminToken) }`],
    ['a session after a malformed cookie of another name', 200, () => `other=%E0; R_SESS=${ adminToken }`],
    ['over the server\'s header limit (Node answers)', 431, () => `R_SESS=${ 'x'.repeat(20000) }`],
  ])('cookie: %s -> %i', async(_, status, cookie) => {
    const res = await raw(si, 'GET', PRINCIPALS, { Cookie: cookie() });

    expect(res.status).toBe(status);
    if (status === 401) {
      expect(JSON.parse(res.text)).toMatchObject({ type: 'error', status: 401, code: 'Unauthorized' });
      expect(res.headers['x-api-cattle-auth']).toBe('false');
    }
    expect((await raw(si, 'GET', '/healthz', { Cookie: cookie() })).status).toBe(status === 431 ? 431 : 200);
    // the WebSocket upgrade reads the same cookie
    const ws = await raw(si, 'GET', '/v1/subscribe', {
      Cookie: cookie(), Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64')
    });

    expect(ws.status).toBe(status === 200 ? 101 : status);
    expect((await call('GET', '/v1/schemas')).status).toBe(200); // still alive
  });

  const cluster = `${ PROV }/fleet-default/${ SEED.rke2.name }`;

  it.each([
    ['GET', `${ PROV }/fleet-default/%E0%A4%A`, 400],
    ['GET', '/v1/%ZZ', 400],
    ['GET', '/v3/settings/%', 400],
    ['GET', '/%FF', 400],
    ['GET', `${ SECRETS }/fleet-default/%ED%A0%80`, 400],
    ['PUT', `${ PROV }/fleet-default/%C0%AF`, 400],
    ['POST', '/v1-public/%E0/login', 400],
    ['GET', '/__sim/objects/%E0', 400],
    ['OPTIONS', '*', 400],
    ['GET', `${ PROV }/fleet-default/${ [...SEED.rke2.name].map((c) => `%${ c.charCodeAt(0).toString(16) }`).join('') }`, 200],
    ['GET', `//evil.example${ cluster }`, 404],
  ])('%s %s -> %i', async(method, path, status) => {
    const res = await raw(si, method, path, { Authorization: `Bearer ${ adminToken }`, 'X-Sim-Token': si.simToken as string }, method === 'GET' || method === 'OPTIONS' ? undefined : '{}');

    expect(res.status).toBe(status);
    if (status === 400) {
      expect(JSON.parse(res.text)).toMatchObject({ type: 'error', status: 400, code: 'BadRequest' });
    }
    expect((await call('GET', cluster)).status).toBe(200); // still alive, the cluster untouched
  });
});
