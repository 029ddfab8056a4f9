/**
 * The Rancher API stand-in (tests/rancher): steve CRUD semantics, conflicts, permissions, the node-plan emulation
 * and the /__sim API. The server runs in-process on a free port.
 */
import { createStandIn, StandIn } from '../../rancher/server';
import { AUTHORIZED_ANNOTATION, K3S_POLICY_KEY, policyText, SEED, sha256Base64 } from '../../rancher/seed';

type Json = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

let si: StandIn;
let adminToken: string;
let restrictedToken: string;

async function call(method: string, path: string, body?: unknown, token: string | null = adminToken, contentType = 'application/json'): Promise<{ status: number, body: Json, headers: Headers }> {
  const headers: Record<string, string> = {};

  if (token) {
    headers.Authorization = `Bearer ${ token }`;
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
  si = await createStandIn({ port: 0 });
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

  it('GET objects returns kube-native objects', async() => {
    const secrets = (await call('GET', '/__sim/objects/secret', undefined, null)).body;

    expect(secrets[0]).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque' });
    expect(secrets[0].id).toBeUndefined();
  });
});
