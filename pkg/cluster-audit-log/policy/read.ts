/**
 * Loading a policy the way kube-apiserver does (k8s.io/apiserver pkg/audit/policy/reader.go
 * LoadPolicyFromBytes): strict decode; on unknown or duplicate fields a lenient decode that drops them
 * (reported here as warnings with their paths, where kube-apiserver only logs one line); apiVersion must be
 * audit.k8s.io/v1; then ValidatePolicy; then "loaded illegal policy with 0 rules".
 *
 * YAML is read as YAML 1.1, as sigs.k8s.io/yaml (go-yaml v2) reads it: `yes`/`on`/`y` are booleans, so
 * `users: [yes]` fails to decode exactly as it does on the node.
 */
import { Positions, readSource, Source } from './source';
import { AUDIT_API_VERSION, Diagnostic, Policy, POLICY_KIND } from './types';
import { validatePolicy } from './validate';

export type { Positions };

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
const STR_LIST: Spec = {
  t: 'list', of: STR, go: '[]string'
};
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
    level:      STR,
    users:      STR_LIST,
    userGroups: STR_LIST,
    verbs:      STR_LIST,
    resources:  {
      t: 'list', of: GROUP_RESOURCES, go: '[]v1.GroupResources'
    },
    namespaces:      STR_LIST,
    nonResourceURLs: STR_LIST,
    omitStages:      {
      t: 'list', of: STR, go: '[]v1.Stage'
    },
    omitManagedFields: BOOL,
  }
};

const POLICY: Spec = {
  t:      'struct',
  name:   'Policy',
  fields: {
    apiVersion: STR,
    kind:       STR,
    metadata:   OBJECT_META,
    rules:      {
      t: 'list', of: POLICY_RULE, go: '[]v1.PolicyRule'
    },
    omitStages: {
      t: 'list', of: STR, go: '[]v1.Stage'
    },
    omitManagedFields: BOOL,
  }
};

const RULE_FIELDS = Object.keys((POLICY_RULE as { fields: Record<string, Spec> }).fields);

/** A Go json type error: decoding stops and kube-apiserver refuses the policy. */
class DecodeError extends Error {
  constructor(public path: string, message: string) {
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

/** The JSON kind of a value as Go's json errors name it. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'boolean') {
    return 'bool';
  }

  return typeof value === 'object' ? 'object' : typeof value;
}

const SCALAR_TYPE: Record<string, string> = {
  string: 'string', bool: 'boolean', int: 'number'
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes a plain value against the Go type, as encoding/json would: unknown fields are dropped with a warning. */
function decode(value: unknown, spec: Spec, path: string, goPath: string, goStruct: string, warnings: Diagnostic[]): unknown {
  if (value === null || value === undefined) {
    return undefined;
  }
  const fail = () => new DecodeError(path, `json: cannot unmarshal ${ jsonKind(value) } into Go struct field ${ goStruct }.${ goPath } of type ${ goType(spec) }`);

  switch (spec.t) {
  case 'any':
    return value;
  case 'string':
  case 'bool':
  case 'int': {
    const actual: string = typeof value;

    if (actual !== SCALAR_TYPE[spec.t] || (spec.t === 'int' && !Number.isInteger(value))) {
      throw fail();
    }

    return value;
  }
  case 'stringMap': {
    if (!isObject(value)) {
      throw fail();
    }
    const out: Record<string, string> = {};

    for (const [key, v] of Object.entries(value)) {
      out[key] = (decode(v, STR, `${ path }.${ key }`, `${ goPath }.${ key }`, goStruct, warnings) as string) ?? '';
    }

    return out;
  }
  case 'list':
    if (!Array.isArray(value)) {
      throw fail();
    }

    return value.map((item, i) => decode(item, spec.of, `${ path }[${ i }]`, goPath, goStruct, warnings) ?? (spec.of.t === 'string' ? '' : {}));
  case 'struct': {
    if (!isObject(value)) {
      throw fail();
    }
    const out: Record<string, unknown> = {};

    for (const [key, v] of Object.entries(value)) {
      const fieldPath = path ? `${ path }.${ key }` : key;
      const fieldSpec = spec.fields[key];

      if (!fieldSpec) {
        warnings.push({ path: fieldPath, message: unknownFieldMessage(fieldPath, key, spec) });
        continue;
      }
      const decoded = decode(v, fieldSpec, fieldPath, goPath ? `${ goPath }.${ key }` : key, goStruct || spec.name, warnings);

      if (decoded !== undefined) {
        out[key] = decoded;
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
function groupVersionErrors(apiVersion: unknown, kind: unknown): Diagnostic[] {
  const kindText = kind || POLICY_KIND;

  if (!apiVersion) {
    return [{ path: 'apiVersion', message: `unknown group version field audit.k8s.io/__internal, Kind=${ kindText } in policy: apiVersion is missing; ${ SUGGEST_V1 }` }];
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

  return [{ path: kind && group !== 'audit.k8s.io' ? 'kind' : 'apiVersion', message: `failed decoding: no kind "${ kindText }" is registered for version "${ apiVersion }" in scheme "k8s.io/apiserver/pkg/audit/scheme.go:30"; ${ fix }` }];
}

export interface ReadOptions {
  /** Record source positions of every field even when there is nothing to report (the YAML editor uses them). */
  positions?: boolean;
}

/**
 * Loads policy text (YAML or JSON) as kube-apiserver's LoadPolicyFromBytes would, reporting every
 * problem with its field path and source position instead of stopping at the first.
 */
export function readPolicy(text: string, options: ReadOptions = {}): LoadResult {
  const first = readSource(text, !!options.positions);
  const result = load(first);

  if (first.precise) {
    return withPositions(result, first.positions);
  }
  if (!result.errors.length && !result.warnings.length) {
    return result;
  }
  const precise = readSource(text, true);

  return withPositions(load(precise), precise.positions);
}

function withPositions(result: LoadResult, positions: Positions): LoadResult {
  const place = <T extends Diagnostic>(d: T): T => (d.line ? d : { ...d, ...(positions[d.path] || positionOfParent(positions, d.path)) });

  return {
    ...result, errors: result.errors.map(place), warnings: result.warnings.map(place), positions
  };
}

function load(source: Source): LoadResult {
  const warnings = [...source.warnings];
  const fail = (errors: Diagnostic[], policy: Policy | null = null): LoadResult => ({
    loadable: false, policy, errors, warnings, positions: source.positions
  });

  if (source.syntaxError) {
    return fail([source.syntaxError]);
  }
  const raw = source.value;

  if (raw !== undefined && raw !== null && !isObject(raw)) {
    return fail([{ path: '', message: `failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal ${ jsonKind(raw) } into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }: an audit policy is a mapping with apiVersion, kind and rules` }]);
  }
  let policy: Policy;

  try {
    policy = (decode(raw, POLICY, '', '', '', warnings) || {}) as Policy;
  } catch (e) {
    if (e instanceof DecodeError) {
      return fail([{ path: e.path, message: `failed decoding: ${ e.message }` }]);
    }
    throw e;
  }
  if (!policy.rules) {
    policy.rules = [];
  }
  if (policy.metadata && Object.keys(policy.metadata).length === 0) {
    delete policy.metadata;
  }
  const errors = groupVersionErrors(policy.apiVersion, policy.kind);

  if (policy.kind && policy.kind !== POLICY_KIND) {
    warnings.length = 0;

    return fail(errors, null);
  }
  const validation = validatePolicy(policy);

  errors.push(...validation);
  if (!validation.length && policy.rules.length === 0) {
    errors.push({ path: 'rules', message: 'loaded illegal policy with 0 rules' });
  }

  return {
    loadable: errors.length === 0, policy, errors, warnings, positions: source.positions
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

  return positions[''] || {};
}

/** Formats a diagnostic as kube-apiserver prints a field error: `rules[0].level: Required value`. */
export function formatDiagnostic(d: Diagnostic): string {
  return d.path ? `${ d.path }: ${ d.message }` : d.message;
}
