/**
 * GET /v1/schemaDefinitions/<id>: the shape rancher/steve pkg/schema/definitions serves (see
 * schema-examples/schemaDefinition.response-shape.ILLUSTRATIVE.json). For provisioning.cattle.io.cluster the
 * definitions are built from the real v2.15 CRD's openAPIV3Schema; other types get apiVersion/kind/metadata plus
 * the kube fields the dashboard's YAML view shows (Secret/ConfigMap data). Section 9 of startup-contract.md: a
 * sparse definition breaks the YAML view, so the CRD is walked completely.
 */
import { loadData, Obj } from './data';
import { TypeDef } from './types';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function objectMeta(): Obj {
  const s = { type: 'string' };
  const strMap = { type: 'map', subtype: 'string' };

  return {
    type:           OBJECT_META,
    description:    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    resourceFields: {
      annotations:                strMap,
      creationTimestamp:          s,
      deletionGracePeriodSeconds: { type: 'int' },
      deletionTimestamp:          s,
      finalizers:                 { type: 'array', subtype: 'string' },
      generateName:               s,
      generation:                 { type: 'int' },
      labels:                     strMap,
      managedFields:              { type: 'array', subtype: 'json' },
      name:                       s,
      namespace:                  s,
      ownerReferences:            { type: 'array', subtype: 'json' },
      resourceVersion:            s,
      selfLink:                   s,
      uid:                        s,
    }
  };
}

function fieldType(schema: Obj, name: string, defs: Obj): { type: string, subtype?: string } {
  if (schema['x-kubernetes-int-or-string']) {
    return { type: 'intOrString' };
  }
  switch (schema.type) {
  case 'string': return { type: 'string' };
  case 'integer': return { type: 'int' };
  case 'number': return { type: 'float' };
  case 'boolean': return { type: 'boolean' };
  case 'array': {
    const sub = fieldType(schema.items || {}, name, defs);

    return { type: 'array', subtype: sub.type };
  }
  case 'object':
  default:
    if (schema.properties) {
      addDefinition(schema, name, defs);

      return { type: name };
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const sub = fieldType(schema.additionalProperties, name, defs);

      return { type: 'map', subtype: sub.type };
    }

    return { type: 'map', subtype: 'json' };
  }
}

function addDefinition(schema: Obj, name: string, defs: Obj): void {
  const resourceFields: Obj = {};
  const required: string[] = schema.required || [];

  for (const [field, sub] of Object.entries(schema.properties || {}) as [string, Obj][]) {
    const t = field === 'metadata' && !sub.properties ? { type: OBJECT_META } : fieldType(sub, `${ name }.${ field }`, defs);

    resourceFields[field] = { ...t, ...(sub.description ? { description: sub.description } : {}), ...(required.includes(field) ? { required: true } : {}) };
  }
  defs[name] = { type: name, description: schema.description || '', resourceFields };
}

function modelName(t: TypeDef): string {
  if (!t.group) {
    return `io.k8s.api.core.${ t.version }.${ t.kind }`;
  }

  return `io.cattle.${ t.group.split('.')[0] }.${ t.version }.${ t.kind }`;
}

export function schemaDefinition(t: TypeDef, base: string): Obj {
  const name = modelName(t);
  const defs: Obj = { [OBJECT_META]: objectMeta() };

  if (t.id === 'provisioning.cattle.io.cluster') {
    const crd = loadData().provisioningCrd;
    const version = crd.spec.versions.find((v: Obj) => v.name === 'v1');

    addDefinition(version.schema.openAPIV3Schema, name, defs);
  } else {
    const fields: Obj = {
      apiVersion: { type: 'string' },
      kind:       { type: 'string' },
      metadata:   { type: OBJECT_META },
    };

    if (t.id === 'secret') {
      Object.assign(fields, { data: { type: 'map', subtype: 'base64' }, stringData: { type: 'map', subtype: 'string' }, type: { type: 'string' }, immutable: { type: 'boolean' } });
    } else if (t.id === 'configmap') {
      Object.assign(fields, { data: { type: 'map', subtype: 'string' }, binaryData: { type: 'map', subtype: 'base64' }, immutable: { type: 'boolean' } });
    } else {
      Object.assign(fields, { spec: { type: 'map', subtype: 'json' }, status: { type: 'map', subtype: 'json' } });
    }
    defs[name] = { type: name, description: '', resourceFields: fields };
  }

  return {
    id:             t.id,
    type:           'schemaDefinition',
    links:          { self: `${ base }/v1/schemaDefinitions/${ t.id }` },
    definitionType: name,
    definitions:    defs,
  };
}
