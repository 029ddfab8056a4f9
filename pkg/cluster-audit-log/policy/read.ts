/**
 * Loading a policy the way kube-apiserver does (k8s.io/apiserver pkg/audit/policy/reader.go
 * LoadPolicyFromBytes): strict decode; on unknown or duplicate fields a lenient decode that drops them
 * (reported here as warnings with their paths, where kube-apiserver only logs one line); apiVersion must be
 * audit.k8s.io/v1; then ValidatePolicy; then "loaded illegal policy with 0 rules".
 *
 * YAML is read as YAML 1.1, as sigs.k8s.io/yaml (go-yaml v2) reads it: `yes`/`on`/`y` are booleans, so
 * `users: [yes]` fails to decode exactly as it does on the node.
 */
import { goQuote } from './go-format';
import { rfc3339Error } from './go-time';
import { Coded, policyMessage, verbatim } from './messages';
import { getOwn, setOwn } from './own';
import { Positions, readSource, Source } from './source';
import { AUDIT_API_VERSION, Diagnostic, Policy, POLICY_KIND } from './types';
import { validatePolicy } from './validate';

export type { Positions };

/** What LoadPolicyFromBytes makes of a policy, with every problem found on the way. */
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
  | { t: 'string', go?: string } | { t: 'bool' } | { t: 'int' } | { t: 'time' } | { t: 'raw' } | { t: 'stringMap' }
  | { t: 'list', of: Spec, go: string }
  | { t: 'struct', name: string, fields: Record<string, Spec> };

const STR: Spec = { t: 'string' };
const STR_LIST: Spec = {
  t: 'list', of: STR, go: '[]string'
};
const BOOL: Spec = { t: 'bool' };
const INT: Spec = { t: 'int' };
const TIME: Spec = { t: 'time' };
const UID: Spec = { t: 'string', go: 'types.UID' };
const STAGES: Spec = {
  t: 'list', of: { t: 'string', go: 'v1.Stage' }, go: '[]v1.Stage'
};

const OWNER_REFERENCE: Spec = {
  t:      'struct',
  name:   'OwnerReference',
  fields: {
    apiVersion: STR, kind: STR, name: STR, uid: UID, controller: BOOL, blockOwnerDeletion: BOOL
  }
};

const MANAGED_FIELDS_ENTRY: Spec = {
  t:      'struct',
  name:   'ManagedFieldsEntry',
  fields: {
    manager:     STR,
    operation:   { t: 'string', go: 'v1.ManagedFieldsOperationType' },
    apiVersion:  STR,
    time:        TIME,
    fieldsType:  STR,
    fieldsV1:    { t: 'raw' },
    subresource: STR,
  }
};

/** metav1.ObjectMeta (k8s.io/apimachinery pkg/apis/meta/v1 types.go). */
const OBJECT_META: Spec = {
  t:      'struct',
  name:   'ObjectMeta',
  fields: {
    name:                       STR,
    generateName:               STR,
    namespace:                  STR,
    selfLink:                   STR,
    uid:                        UID,
    resourceVersion:            STR,
    generation:                 INT,
    creationTimestamp:          TIME,
    deletionTimestamp:          TIME,
    deletionGracePeriodSeconds: INT,
    labels:                     { t: 'stringMap' },
    annotations:                { t: 'stringMap' },
    ownerReferences:            {
      t: 'list', of: OWNER_REFERENCE, go: '[]v1.OwnerReference'
    },
    finalizers:    STR_LIST,
    managedFields: {
      t: 'list', of: MANAGED_FIELDS_ENTRY, go: '[]v1.ManagedFieldsEntry'
    },
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
    level:      { t: 'string', go: 'v1.Level' },
    users:      STR_LIST,
    userGroups: STR_LIST,
    verbs:      STR_LIST,
    resources:  {
      t: 'list', of: GROUP_RESOURCES, go: '[]v1.GroupResources'
    },
    namespaces:        STR_LIST,
    nonResourceURLs:   STR_LIST,
    omitStages:        STAGES,
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
    omitStages:        STAGES,
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
  case 'string': return spec.go ?? 'string';
  case 'time': return 'string';
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
  string: 'string', bool: 'boolean', int: 'number', time: 'string'
};

/** A number as encoding/json writes it: integers below 1e21 in full digits, others as JavaScript prints them (the same). */
function jsonNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? BigInt(value).toString() : String(value);
}

/** 2^63: the first number an int64 cannot hold. */
const INT64_LIMIT = 9223372036854775808;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's byte order of strings (UTF-8), which encoding/json sorts map keys by. */
const byGoOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** How the decode walks a source. */
interface Walk {
  /** Go's key order: the JSON text's own order, or sorted keys for YAML (json.Marshal sorts them). */
  entries: (obj: Record<string, unknown>) => [string, unknown][];
  /** JSON number literals that are not plain integers (`1.0`), by path. */
  literals: Map<string, string>;
  warnings: Diagnostic[];
  /** For JSON: paths of the structs and maps decoded, with their spec (where sigs.k8s.io/json reports duplicates). */
  decoded?: Map<string, Spec>;
}

/** Decodes a plain value against the Go type, as encoding/json would: unknown fields are dropped with a warning. */
function decode(value: unknown, spec: Spec, path: string, goPath: string, goStruct: string, walk: Walk): unknown {
  if (value === null || value === undefined) {
    return undefined;
  }
  const fail = () => new DecodeError(path, `json: cannot unmarshal ${ jsonKind(value) } into Go struct field ${ goStruct }.${ goPath } of type ${ goType(spec) }`);

  switch (spec.t) {
  case 'raw':
    return value;
  case 'string':
  case 'bool':
  case 'time':
  case 'int': {
    const actual: string = typeof value;

    if (actual !== SCALAR_TYPE[spec.t]) {
      throw fail();
    }
    if (spec.t === 'int') {
      const literal = walk.literals.get(path);

      if (literal !== undefined || !Number.isInteger(value) || Math.abs(value as number) >= INT64_LIMIT) {
        throw new DecodeError(path, `json: cannot unmarshal number ${ literal ?? jsonNumber(value as number) } into Go struct field ${ goStruct }.${ goPath } of type int64`);
      }
    }
    if (spec.t === 'time') {
      const problem = rfc3339Error(value as string);

      if (problem) {
        throw new DecodeError(path, problem);
      }
    }

    return value;
  }
  case 'stringMap': {
    if (!isObject(value)) {
      throw fail();
    }
    const out: Record<string, string> = {};

    walk.decoded?.set(path, spec);
    for (const [key, v] of walk.entries(value)) {
      setOwn(out, key, (decode(v, STR, `${ path }.${ key }`, goPath, goStruct, walk) as string) ?? '');
    }

    return out;
  }
  case 'list':
    if (!Array.isArray(value)) {
      throw fail();
    }

    return value.map((item, i) => decode(item, spec.of, `${ path }[${ i }]`, goPath, goStruct, walk) ?? (spec.of.t === 'string' ? '' : {}));
  case 'struct': {
    if (!isObject(value)) {
      throw fail();
    }
    const out: Record<string, unknown> = {};

    walk.decoded?.set(path, spec);
    for (const [key, v] of walk.entries(value)) {
      const fieldPath = path ? `${ path }.${ key }` : key;
      const fieldSpec = getOwn(spec.fields, key);

      if (!fieldSpec) {
        walk.warnings.push({ path: fieldPath, ...unknownField(fieldPath, key, spec) });
        continue;
      }
      const decoded = decode(v, fieldSpec, fieldPath, goPath ? `${ goPath }.${ key }` : key, spec.name, walk);

      if (decoded !== undefined) {
        setOwn(out, key, decoded);
      }
    }

    return out;
  }
  }
}

/** The strict decoder's `unknown field` error (kube-apiserver's text), with what the lenient decode makes of it. */
function unknownField(fieldPath: string, key: string, spec: Spec): Coded {
  const kube = `unknown field ${ goQuote(fieldPath) }`;

  if (spec === GROUP_RESOURCES && RULE_FIELDS.includes(key)) {
    return policyMessage('policy.unknownRuleField', { kube, field: key });
  }
  const near = Object.keys((spec as { fields: Record<string, Spec> }).fields).find((f) => f.toLowerCase() === key.toLowerCase());

  return near ? policyMessage('policy.unknownFieldCase', { kube, near }) : policyMessage('policy.unknownField', { kube });
}

/** The apiVersion/kind checks of the universal decoder and of LoadPolicyFromBytes: kube-apiserver's error and the fix. */
function groupVersionErrors(apiVersion: unknown, kind: unknown): Diagnostic[] {
  const kindText = kind || POLICY_KIND;
  const v1 = { apiVersion: AUDIT_API_VERSION, kind: POLICY_KIND };

  if (!apiVersion) {
    return [{ path: 'apiVersion', ...policyMessage('policy.noApiVersion', { kube: `unknown group version field audit.k8s.io/__internal, Kind=${ kindText } in policy`, ...v1 }) }];
  }
  if (apiVersion === AUDIT_API_VERSION && kindText === POLICY_KIND) {
    return [];
  }
  const [group] = String(apiVersion).includes('/') ? String(apiVersion).split('/') : [''];
  const kube = `failed decoding: no kind ${ goQuote(String(kindText)) } is registered for version ${ goQuote(String(apiVersion)) } in scheme "k8s.io/apiserver/pkg/audit/scheme.go:30"`;
  let fix = policyMessage('policy.unregistered', { kube, ...v1 });

  if (group === 'audit.k8s.io' && kindText === POLICY_KIND) {
    fix = policyMessage('policy.removedVersion', { kube, apiVersion: AUDIT_API_VERSION });
  } else if (kindText === 'Secret' || kindText === 'ConfigMap') {
    fix = policyMessage('policy.otherManifest', { kube, manifest: kindText });
  }

  return [{ path: kind && group !== 'audit.k8s.io' ? 'kind' : 'apiVersion', ...fix }];
}

/** How readPolicy reads. */
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

/** encoding/json's case-insensitive match of a key to a field name (bytes.EqualFold, with its special folds). */
function foldEquals(key: string, name: string): boolean {
  return key.length <= name.length * 2 && key.replace(/\u017F/g, 's').replace(/\u212A/g, 'k').toLowerCase() === name.toLowerCase();
}

const META_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/**
 * The meta factory's read of apiVersion and kind (apimachinery pkg/runtime/serializer/json meta.go
 * SimpleMetaFactory.Interpret): plain encoding/json into a two-field struct, so the keys match
 * case-insensitively (an exact match first) and the last one set wins.
 */
function interpret(raw: unknown, walk: Walk): { apiVersion?: string, kind?: string } | Diagnostic {
  const prefix = "failed decoding: couldn't get version/kind; json parse error: ";

  if (raw === undefined || raw === null) {
    return {};
  }
  if (!isObject(raw)) {
    return { path: '', ...policyMessage('policy.notMapping', { kube: `${ prefix }json: cannot unmarshal ${ jsonKind(raw) } into Go value of type ${ META_TYPE }` }) };
  }
  const out: { apiVersion?: string, kind?: string } = {};
  let error: Diagnostic | undefined;

  for (const [key, value] of walk.entries(raw)) {
    const field = (['apiVersion', 'kind'] as const).find((f) => f === key) ?? (['apiVersion', 'kind'] as const).find((f) => foldEquals(key, f));

    if (!field || value === null) {
      continue;
    }
    if (typeof value === 'string') {
      out[field] = value;
    } else if (!error) {
      error = { path: key, ...verbatim(`${ prefix }json: cannot unmarshal ${ jsonKind(value) } into Go struct field .${ field } of type string`) };
    }
  }

  return error ?? out;
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
  const inTextOrder = (obj: Record<string, unknown>) => Object.entries(obj);
  const inGoOrder = (obj: Record<string, unknown>) => Object.entries(obj).sort(([a], [b]) => byGoOrder(a, b));
  const walkIn = (entries: Walk['entries']): Walk => ({
    entries, literals: source.literals, warnings: [...source.warnings], decoded: source.json ? new Map() : undefined
  });
  let walk = walkIn(source.json ? inTextOrder : inGoOrder);
  const gvk = interpret(raw, walk);

  if ('code' in gvk) {
    return fail([gvk]);
  }
  // The universal decoder creates the object of the data's apiVersion and kind before decoding into it, so an
  // unregistered one is the only error kube-apiserver reports. A Policy of a removed version is still decoded
  // here (its rules are shown, to be moved to v1), but its own decode errors and warnings are not kube's.
  const unregistered = !!gvk.apiVersion && (gvk.apiVersion !== AUDIT_API_VERSION || (gvk.kind || POLICY_KIND) !== POLICY_KIND);

  if (unregistered && (gvk.kind || POLICY_KIND) !== POLICY_KIND) {
    warnings.length = 0;

    return fail(groupVersionErrors(gvk.apiVersion, gvk.kind));
  }
  // YAML reaches encoding/json with sorted keys; that order only matters when something is reported, so
  // the common case decodes in the text's order and a decode with anything to report is redone sorted.
  const decodeIn = (w: Walk) => {
    try {
      return (decode(raw, POLICY, '', '', '', w) || {}) as Policy;
    } catch (e) {
      if (e instanceof DecodeError) {
        return e;
      }
      throw e;
    }
  };
  let decoded = decodeIn(source.json ? walk : (walk = walkIn(inTextOrder)));

  if (!source.json && (decoded instanceof DecodeError || walk.warnings.length > source.warnings.length)) {
    decoded = decodeIn(walk = walkIn(inGoOrder));
  }
  warnings.splice(0, warnings.length, ...walk.warnings);
  if (decoded instanceof DecodeError) {
    return fail(unregistered ? groupVersionErrors(gvk.apiVersion, gvk.kind) : [{ path: decoded.path, ...verbatim(`failed decoding: ${ decoded.message }`) }]);
  }
  if (unregistered) {
    warnings.length = 0;
  }
  const policy: Policy = decoded;

  warnings.push(...source.jsonDuplicates.filter((d) => {
    const parent = d.path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    const spec = walk.decoded?.get(parent === d.path ? '' : parent);
    const key = d.path.slice(parent === d.path ? 0 : parent.length + 1);

    return spec?.t === 'stringMap' || (spec?.t === 'struct' && getOwn(spec.fields, key) !== undefined);
  }));
  if (!policy.rules) {
    policy.rules = [];
  }
  if (policy.metadata && Object.keys(policy.metadata).length === 0) {
    delete policy.metadata;
  }
  const errors = groupVersionErrors(gvk.apiVersion, gvk.kind);
  const validation = validatePolicy(policy);

  errors.push(...validation);
  if (!validation.length && policy.rules.length === 0) {
    errors.push({ path: 'rules', ...verbatim('loaded illegal policy with 0 rules') });
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
