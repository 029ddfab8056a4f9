/**
 * Loading a policy the way kube-apiserver does (k8s.io/apiserver pkg/audit/policy/reader.go
 * LoadPolicyFromBytes): strict decode; on unknown or duplicate fields a lenient decode that drops them
 * (reported here as warnings with their paths, where kube-apiserver only logs one line); apiVersion must be
 * audit.k8s.io/v1; then ValidatePolicy; then "loaded illegal policy with 0 rules".
 *
 * YAML is read as YAML 1.1, as sigs.k8s.io/yaml (go-yaml v2) reads it: `yes`/`on`/`y` are booleans, so
 * `users: [yes]` fails to decode exactly as it does on the node.
 */
import {
  Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments, Scalar
} from 'yaml';
import { AUDIT_API_VERSION, Diagnostic, Policy, POLICY_KIND } from './types';
import { validatePolicy } from './validate';

/** Source positions (1-based) of the fields of a decoded policy, by field path (`rules[2].level`). */
export type Positions = Record<string, { line: number, column: number }>;

export interface LoadResult {
  /** True when kube-apiserver would start with this policy. */
  loadable: boolean;
  /** The policy as kube-apiserver decodes it (dropped fields removed); null when the text does not decode. */
  policy: Policy | null;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  positions: Positions;
}

type Spec =
  | { t: 'string' } | { t: 'bool' } | { t: 'int' } | { t: 'any' } | { t: 'stringMap' }
  | { t: 'list', of: Spec, go: string }
  | { t: 'struct', name: string, fields: Record<string, Spec> };

const STR: Spec = { t: 'string' };
const STR_LIST: Spec = { t: 'list', of: STR, go: '[]string' };
const BOOL: Spec = { t: 'bool' };

const OBJECT_META: Spec = {
  t:      'struct',
  name:   'ObjectMeta',
  fields: {
    name:                       STR,
    generateName:               STR,
    namespace:                  STR,
    selfLink:                   STR,
    uid:                        STR,
    resourceVersion:            STR,
    generation:                 { t: 'int' },
    creationTimestamp:          { t: 'any' },
    deletionTimestamp:          { t: 'any' },
    deletionGracePeriodSeconds: { t: 'int' },
    labels:                     { t: 'stringMap' },
    annotations:                { t: 'stringMap' },
    ownerReferences:            { t: 'any' },
    finalizers:                 STR_LIST,
    managedFields:              { t: 'any' },
  }
};

const GROUP_RESOURCES: Spec = {
  t:      'struct',
  name:   'GroupResources',
  fields: {
    group: STR, resources: STR_LIST, resourceNames: STR_LIST
  }
};

const POLICY_RULE: Spec = {
  t:      'struct',
  name:   'PolicyRule',
  fields: {
    level:             STR,
    users:             STR_LIST,
    userGroups:        STR_LIST,
    verbs:             STR_LIST,
    resources:         { t: 'list', of: GROUP_RESOURCES, go: '[]v1.GroupResources' },
    namespaces:        STR_LIST,
    nonResourceURLs:   STR_LIST,
    omitStages:        { t: 'list', of: STR, go: '[]v1.Stage' },
    omitManagedFields: BOOL,
  }
};

const POLICY: Spec = {
  t:      'struct',
  name:   'Policy',
  fields: {
    apiVersion:        STR,
    kind:              STR,
    metadata:          OBJECT_META,
    rules:             { t: 'list', of: POLICY_RULE, go: '[]v1.PolicyRule' },
    omitStages:        { t: 'list', of: STR, go: '[]v1.Stage' },
    omitManagedFields: BOOL,
  }
};

const RULE_FIELDS = Object.keys((POLICY_RULE as { fields: Record<string, Spec> }).fields);

/** A Go json type error: decoding stops and kube-apiserver refuses the policy. */
class DecodeError extends Error {
  constructor(public path: string, message: string, public node: Node | null) {
    super(message);
  }
}

function goType(spec: Spec): string {
  switch (spec.t) {
  case 'string': return 'string';
  case 'bool': return 'bool';
  case 'int': return 'int64';
  case 'stringMap': return 'map[string]string';
  case 'list': return spec.go;
  case 'struct': return `v1.${ spec.name }`;
  default: return 'interface {}';
  }
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  if (value === null) {
    return 'null';
  }

  return typeof value === 'object' ? 'object' : typeof value;
}

interface DecodeContext {
  warnings: Diagnostic[];
  positions: Positions;
  lines: LineCounter;
}

function pos(ctx: DecodeContext, node: Node | null | undefined): { line: number, column: number } | undefined {
  const offset = node?.range?.[0];

  if (offset === undefined) {
    return undefined;
  }
  const { line, col } = ctx.lines.linePos(offset);

  return { line, column: col };
}

function resolve(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** A scalar's value as JSON would carry it (timestamps stay the text they were written as). */
function scalarValue(node: Scalar): unknown {
  if (node.value instanceof Date) {
    return node.source ?? node.value.toISOString();
  }
  if (typeof node.value === 'bigint') {
    return Number(node.value);
  }

  return node.value;
}

function decode(raw: unknown, spec: Spec, path: string, goPath: string, goStruct: string, ctx: DecodeContext, doc: Document): unknown {
  const node = resolve(raw, doc) as Node | null | undefined;

  if (node === null || node === undefined || (isScalar(node) && node.value === null)) {
    return undefined;
  }
  const fail = (kind: string) => new DecodeError(path, `json: cannot unmarshal ${ kind } into Go struct field ${ goStruct }.${ goPath } of type ${ goType(spec) }`, node);

  switch (spec.t) {
  case 'any':
    return (node as { toJSON: () => unknown }).toJSON();
  case 'string':
  case 'bool':
  case 'int': {
    if (!isScalar(node)) {
      throw fail(isSeq(node) ? 'array' : 'object');
    }
    const value = scalarValue(node);
    const want = spec.t === 'int' ? 'number' : spec.t === 'bool' ? 'boolean' : 'string';

    if (typeof value !== want || (spec.t === 'int' && !Number.isInteger(value))) {
      throw fail(jsonKind(value) === 'boolean' ? 'bool' : jsonKind(value));
    }

    return value;
  }
  case 'stringMap': {
    if (!isMap(node)) {
      throw fail(isSeq(node) ? 'array' : jsonKind(scalarValue(node as Scalar)));
    }
    const out: Record<string, string> = {};

    for (const pair of node.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const value = decode(pair.value, STR, `${ path }.${ key }`, `${ goPath }.${ key }`, goStruct, ctx, doc);

      out[key] = (value as string) ?? '';
    }

    return out;
  }
  case 'list': {
    if (!isSeq(node)) {
      throw fail(isMap(node) ? 'object' : jsonKind(scalarValue(node as Scalar)));
    }

    return node.items.map((item, i) => {
      const at = pos(ctx, item as Node);

      if (at) {
        ctx.positions[`${ path }[${ i }]`] = at;
      }

      return decode(item, spec.of, `${ path }[${ i }]`, goPath, goStruct, ctx, doc) ?? (spec.of.t === 'string' ? '' : {});
    });
  }
  case 'struct': {
    if (!isMap(node)) {
      throw fail(isSeq(node) ? 'array' : jsonKind(scalarValue(node as Scalar)));
    }
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();

    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = String(isScalar(keyNode) ? keyNode.value : keyNode);
      const fieldPath = path ? `${ path }.${ key }` : key;
      const fieldSpec = spec.fields[key];
      const at = pos(ctx, keyNode);

      if (seen.has(key)) {
        ctx.warnings.push({
          path: fieldPath, message: `duplicate field "${ fieldPath }": key "${ key }" already set in map; kube-apiserver keeps the last value`, ...at
        });
      }
      seen.add(key);
      if (!fieldSpec) {
        ctx.warnings.push({
          path: fieldPath, message: unknownFieldMessage(fieldPath, key, spec), ...at
        });
        continue;
      }
      if (at) {
        ctx.positions[fieldPath] = at;
      }
      const value = decode(pair.value, fieldSpec, fieldPath, goPath ? `${ goPath }.${ key }` : key, goStruct || spec.name, ctx, doc);

      if (value === undefined) {
        delete out[key];
      } else {
        out[key] = value;
      }
    }

    return out;
  }
  }
}

function unknownFieldMessage(fieldPath: string, key: string, spec: Spec): string {
  const base = `unknown field "${ fieldPath }": kube-apiserver drops it (lenient decoding)`;

  if (spec === GROUP_RESOURCES && RULE_FIELDS.includes(key)) {
    return `${ base }; "${ key }" belongs to the rule, not to a resources entry, so as written the rule ignores it`;
  }
  const near = Object.keys((spec as { fields: Record<string, Spec> }).fields).find((f) => f.toLowerCase() === key.toLowerCase());

  return near ? `${ base }; field names are case-sensitive: did you mean "${ near }"?` : base;
}

const SUGGEST_V1 = `set "apiVersion: ${ AUDIT_API_VERSION }" and "kind: ${ POLICY_KIND }"`;

/** The apiVersion/kind checks of the universal decoder and of LoadPolicyFromBytes. */
function groupVersionErrors(apiVersion: unknown, kind: unknown, position: Positions): Diagnostic[] {
  const at = (p: string) => position[p] || {};
  const kindText = kind || POLICY_KIND;

  if (!apiVersion) {
    return [{
      path: 'apiVersion', message: `unknown group version field audit.k8s.io/__internal, Kind=${ kindText } in policy: apiVersion is missing; ${ SUGGEST_V1 }`, line: 1, column: 1
    }];
  }
  if (apiVersion === AUDIT_API_VERSION && kindText === POLICY_KIND) {
    return [];
  }
  const [group] = String(apiVersion).includes('/') ? String(apiVersion).split('/') : [''];
  let fix = SUGGEST_V1;

  if (group === 'audit.k8s.io' && kindText === POLICY_KIND) {
    fix = `audit.k8s.io/v1alpha1 and v1beta1 were removed in Kubernetes 1.24; change apiVersion to ${ AUDIT_API_VERSION } (the fields are the same)`;
  } else if (kindText === 'Secret' || kindText === 'ConfigMap') {
    fix = `this is a ${ kindText } manifest, not an audit policy: check the policy stored in its data instead`;
  }

  return [{
    path: kind && group !== 'audit.k8s.io' ? 'kind' : 'apiVersion', message: `failed decoding: no kind "${ kindText }" is registered for version "${ apiVersion }" in scheme "k8s.io/apiserver/pkg/audit/scheme.go:30"; ${ fix }`, ...at(kind && group !== 'audit.k8s.io' ? 'kind' : 'apiVersion')
  }];
}

/**
 * Loads policy text (YAML or JSON) as kube-apiserver's LoadPolicyFromBytes would, reporting every
 * problem with its field path and source position instead of stopping at the first.
 */
export function readPolicy(text: string): LoadResult {
  const lines = new LineCounter();
  const ctx: DecodeContext = {
    warnings: [], positions: {}, lines
  };
  const fail = (errors: Diagnostic[], policy: Policy | null = null): LoadResult => ({
    loadable: false, policy, errors, warnings: ctx.warnings, positions: ctx.positions
  });

  const docs = parseAllDocuments(text, {
    version: '1.1', uniqueKeys: false, lineCounter: lines, merge: true
  });
  const list = Array.isArray(docs) ? docs : [];

  for (const doc of list) {
    const problem = doc.errors[0];

    if (problem) {
      const [line, column] = problem.linePos?.[0] ? [problem.linePos[0].line, problem.linePos[0].col] : [undefined, undefined];
      const where = line ? `line ${ line }, column ${ column }: ` : '';

      return fail([{
        path: '', message: `failed decoding: error converting YAML to JSON: yaml: ${ where }${ problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '') }`, line, column
      }]);
    }
  }
  const doc = list.find((d) => d.contents !== null) || list[0];

  if (list.filter((d) => d.contents !== null).length > 1) {
    ctx.warnings.push({ path: '', message: 'the file holds more than one YAML document: kube-apiserver reads only the first' });
  }

  let policy: Policy;

  try {
    const raw = doc ? doc.contents : null;

    if (raw && !isMap(resolve(raw, doc as Document))) {
      return fail([{
        path: '', message: `failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal ${ isSeq(raw) ? 'array' : jsonKind(scalarValue(raw as Scalar)) } into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }: an audit policy is a mapping with apiVersion, kind and rules`, ...pos(ctx, raw as Node)
      }]);
    }
    policy = (decode(raw, POLICY, '', '', '', ctx, doc as Document) || {}) as Policy;
  } catch (e) {
    if (e instanceof DecodeError) {
      return fail([{ path: e.path, message: `failed decoding: ${ e.message }`, ...pos(ctx, e.node) }]);
    }
    throw e;
  }
  if (!policy.rules) {
    policy.rules = [];
  }
  if (policy.metadata && Object.keys(policy.metadata).length === 0) {
    delete policy.metadata;
  }

  const errors = groupVersionErrors(policy.apiVersion, policy.kind, ctx.positions);

  if (policy.kind && policy.kind !== POLICY_KIND) {
    ctx.warnings.length = 0;

    return fail(errors, null);
  }
  const validation = validatePolicy(policy).map((d) => ({ ...d, ...(ctx.positions[d.path] || positionOfParent(ctx.positions, d.path)) }));

  errors.push(...validation);
  if (!validation.length && policy.rules.length === 0) {
    errors.push({ path: 'rules', message: 'loaded illegal policy with 0 rules', ...ctx.positions.rules });
  }

  return {
    loadable: errors.length === 0, policy, errors, warnings: ctx.warnings, positions: ctx.positions
  };
}

/** The position of the nearest enclosing field that has one (`rules[1].level` missing -> `rules[1]`'s first field). */
function positionOfParent(positions: Positions, path: string): { line?: number, column?: number } {
  for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    if (positions[p]) {
      return positions[p];
    }
    const child = Object.keys(positions).find((k) => k.startsWith(`${ p }.`));

    if (child) {
      return positions[child];
    }
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) {
      break;
    }
  }

  return {};
}

/** Formats a diagnostic as kube-apiserver prints a field error: `rules[0].level: Required value`. */
export function formatDiagnostic(d: Diagnostic): string {
  return d.path ? `${ d.path }: ${ d.message }` : d.message;
}
