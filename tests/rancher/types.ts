/**
 * The steve types the stand-in knows, and the schemas it serves for them, trimmed per user as steve trims them
 * (rancher/steve pkg/accesscontrol: verbs, collectionMethods and resourceMethods follow the user's RBAC).
 *
 * Column lists for provisioning/management clusters and secrets are the DERIVED steve schemas in
 * tests/fixtures/rancher-data/schema-examples; other types get steve's Name + Age columns (same source).
 */
import { loadData, Obj } from './data';

export interface TypeDef {
  /** steve schema id, e.g. `secret`, `provisioning.cattle.io.cluster` */
  id: string;
  pluralName: string;
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  /** objects are kept in the stand-in's store (GET/POST/PUT/DELETE); false: a read-only collection */
  writable: boolean;
  description?: string;
  crd?: boolean;
}

const ADMIN_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ_VERBS = ['get', 'list', 'watch'];

function def(id: string, kind: string, group: string, version: string, resource: string, namespaced: boolean, writable: boolean, crd = group !== '' && !group.startsWith('ext.')): TypeDef {
  const plural = id.includes('.') ? `${ group }.${ resource }` : resource;

  return {
    id, pluralName: plural, group, version, kind, resource, namespaced, writable, crd
  };
}

export const TYPES: TypeDef[] = [
  def('provisioning.cattle.io.cluster', 'Cluster', 'provisioning.cattle.io', 'v1', 'clusters', true, true),
  def('management.cattle.io.cluster', 'Cluster', 'management.cattle.io', 'v3', 'clusters', false, true),
  def('secret', 'Secret', '', 'v1', 'secrets', true, true),
  def('configmap', 'ConfigMap', '', 'v1', 'configmaps', true, true),
  def('namespace', 'Namespace', '', 'v1', 'namespaces', false, true),
  def('management.cattle.io.setting', 'Setting', 'management.cattle.io', 'v3', 'settings', false, true),
  def('management.cattle.io.feature', 'Feature', 'management.cattle.io', 'v3', 'features', false, false),
  def('management.cattle.io.project', 'Project', 'management.cattle.io', 'v3', 'projects', true, false),
  def('management.cattle.io.fleetworkspace', 'FleetWorkspace', 'management.cattle.io', 'v3', 'fleetworkspaces', false, false),
  def('management.cattle.io.user', 'User', 'management.cattle.io', 'v3', 'users', false, false),
  def('management.cattle.io.nodedriver', 'NodeDriver', 'management.cattle.io', 'v3', 'nodedrivers', false, false),
  def('management.cattle.io.kontainerdriver', 'KontainerDriver', 'management.cattle.io', 'v3', 'kontainerdrivers', false, false),
  def('management.cattle.io.podsecurityadmissionconfigurationtemplate', 'PodSecurityAdmissionConfigurationTemplate', 'management.cattle.io', 'v3', 'podsecurityadmissionconfigurationtemplates', false, false),
  def('management.cattle.io.node', 'Node', 'management.cattle.io', 'v3', 'nodes', true, false),
  def('catalog.cattle.io.clusterrepo', 'ClusterRepo', 'catalog.cattle.io', 'v1', 'clusterrepos', false, false),
  def('catalog.cattle.io.app', 'App', 'catalog.cattle.io', 'v1', 'apps', true, false),
  def('cluster.x-k8s.io.machine', 'Machine', 'cluster.x-k8s.io', 'v1beta1', 'machines', true, false),
  def('cluster.x-k8s.io.machinedeployment', 'MachineDeployment', 'cluster.x-k8s.io', 'v1beta1', 'machinedeployments', true, false),
  { ...def('userpreference', 'UserPreference', '', 'v1', 'userpreferences', false, true, false), pluralName: 'userpreferences' },
  { ...def('count', 'Count', '', 'v1', 'counts', false, false, false), pluralName: 'counts' },
  def('ext.cattle.io.selfuser', 'SelfUser', 'ext.cattle.io', 'v1', 'selfusers', false, false),
];

export function typeById(idOrPlural: string): TypeDef | undefined {
  return TYPES.find((t) => t.id === idOrPlural || t.pluralName === idOrPlural);
}

export interface User {
  id: string;
  username: string;
  password: string;
  displayName: string;
  /** namespaces where this user may not create/update/delete Secrets */
  secretWriteDenied: string[];
}

export const USERS: User[] = [
  {
    id: 'user-admin', username: 'admin', password: 'admin-password-1234', displayName: 'Default Admin', secretWriteDenied: []
  },
  {
    id: 'user-restricted', username: 'restricted', password: 'restricted-password-1234', displayName: 'Cluster Editor (no Secret writes)', secretWriteDenied: ['fleet-default']
  },
];

/** Verbs a user has on a type (cluster-wide view, as steve's schema shows them). */
export function verbsFor(user: User, t: TypeDef): string[] {
  if (t.id === 'count' || t.id === 'userpreference') {
    return t.id === 'count' ? READ_VERBS : ADMIN_VERBS;
  }
  if (t.id === 'ext.cattle.io.selfuser') {
    return ['create'];
  }
  if (!t.writable) {
    return READ_VERBS;
  }
  if (t.id === 'secret' && user.secretWriteDenied.length) {
    return READ_VERBS;
  }

  return ADMIN_VERBS;
}

const WRITE_VERBS = ['create', 'update', 'patch', 'delete'];

/** May `user` perform `verb` on an object of type t in namespace ns (no ns: anywhere)? */
export function allowed(user: User, t: TypeDef, verb: string, ns?: string): boolean {
  if (t.id === 'secret') {
    if (WRITE_VERBS.includes(verb)) {
      return ns ? !user.secretWriteDenied.includes(ns) : !user.secretWriteDenied.length;
    }

    return true;
  }

  return verbsFor(user, t).includes(verb);
}

function columns(t: TypeDef): Obj[] {
  const data = loadData();

  if (t.id === 'provisioning.cattle.io.cluster') {
    return data.provisioningSchema.attributes.columns;
  }
  if (t.id === 'secret') {
    return data.secretSchema.attributes.columns;
  }

  // steve's default Name + Age columns (text from the DERIVED management cluster schema, copied from REAL fixtures)
  return data.managementClusterSchema.attributes.columns;
}

export function schemaFor(t: TypeDef, user: User, base: string): Obj {
  const verbs = verbsFor(user, t);
  const collectionMethods = ['GET'];
  const resourceMethods = ['GET'];

  if (verbs.includes('create')) {
    collectionMethods.push('POST');
  }
  if (verbs.includes('delete')) {
    resourceMethods.push('DELETE');
  }
  if (verbs.includes('update')) {
    resourceMethods.push('PUT');
  }
  if (verbs.includes('patch')) {
    resourceMethods.push('PATCH');
  }
  const attributes: Obj = {
    columns:    columns(t),
    group:      t.group,
    kind:       t.kind,
    namespaced: t.namespaced,
    resource:   t.resource,
    verbs,
    version:    t.version,
  };

  if (t.crd) {
    attributes.crd = true;
  }
  if (t.id === 'provisioning.cattle.io.cluster') {
    attributes.hasObservedGeneration = true;
  }
  const links: Obj = { self: `${ base }/v1/schemas/${ t.id }` };

  if (verbs.includes('list') || t.id === 'ext.cattle.io.selfuser') {
    links.collection = `${ base }/v1/${ t.pluralName }`;
  }

  return {
    id:                t.id,
    type:              'schema',
    links,
    pluralName:        t.pluralName,
    resourceMethods:   t.id === 'ext.cattle.io.selfuser' ? [] : resourceMethods,
    resourceFields:    null,
    collectionMethods: t.id === 'ext.cattle.io.selfuser' ? ['POST'] : collectionMethods,
    attributes,
    ...(t.id === 'provisioning.cattle.io.cluster' ? { description: loadData().provisioningSchema.description } : {}),
  };
}

/** Norman (/v3) schemas the pages look up with rancher/schemaFor. */
export const NORMAN_TYPES: { id: string, plural: string, methods: string[] }[] = [
  { id: 'principal', plural: 'principals', methods: ['GET'] },
  { id: 'cloudCredential', plural: 'cloudcredentials', methods: ['GET', 'POST'] },
  { id: 'setting', plural: 'settings', methods: ['GET'] },
  { id: 'clusterRoleTemplateBinding', plural: 'clusterroletemplatebindings', methods: ['GET'] },
  { id: 'user', plural: 'users', methods: ['GET'] },
];

export function normanSchema(s: { id: string, plural: string, methods: string[] }, base: string): Obj {
  return {
    id:                s.id,
    type:              'schema',
    links:             { self: `${ base }/v3/schemas/${ s.id }`, collection: `${ base }/v3/${ s.plural }` },
    pluralName:        s.plural,
    collectionMethods: s.methods,
    resourceMethods:   ['GET'],
    resourceFields:    {},
  };
}
