/**
 * Our readers next to the Go judge (tests/judge): what each says about one input, at the decode level
 * (YAML -> JSON -> the v1 Policy types; validation is not the judge's business).
 */
import {
  decodePolicyBytes, Diagnostic, LoadResult, readPolicy
} from '@pkg/policy';
import { readSource, Source } from '@pkg/policy/source';
import type { JudgeVerdict } from '../../judge/judge';

/** One reader's decode-level verdict, in the judge's terms. */
export interface DecodeView {
  ok: boolean;
  /** "failed decoding: ..." as kube-apiserver prints it, or ''. */
  error: string;
  /** The YAML/JSON as a plain value (undefined when it does not convert). */
  value: unknown;
  unknownFields: string[];
  duplicateFields: string[];
  /** go-yaml's duplicate map keys, as %#v. */
  duplicateKeys: string[];
  policy: unknown;
}

const sorted = (xs: string[]) => [...new Set(xs)].sort();

/** The messages that are checks of the decoded policy, not decoding: the judge does not make them. */
const NOT_DECODING = /^unknown group version|^loaded illegal policy/;

function view(result: LoadResult, source: Source | undefined): DecodeView {
  const decodeErrors = result.errors.filter((e) => e.message.startsWith('failed decoding: ') && !NOT_DECODING.test(e.message.slice('failed decoding: '.length)));
  // kube-apiserver reports no strict error when decoding fails outright
  const warn = (re: RegExp) => (decodeErrors.length ? [] : result.warnings.filter((w) => re.test(w.message)));

  return {
    ok:              decodeErrors.length === 0,
    error:           decodeErrors[0]?.message ?? '',
    value:           source && !source.syntaxError ? source.value : undefined,
    unknownFields:   sorted(warn(/^unknown field/).map((w: Diagnostic) => w.path)),
    duplicateFields: sorted(warn(/^duplicate field "(?:[^"\\]|\\.)*": kube-apiserver keeps/).map((w) => w.path)),
    duplicateKeys:   sorted(warn(/already set in map/).map((w) => (/key (.*) already set in map/.exec(w.message) as RegExpExecArray)[1])),
    policy:          decodeErrors.length ? undefined : comparablePolicy(result.policy),
  };
}

/** The parts of a policy both sides print the same way (empty values dropped, as Go's omitempty does). */
export function comparablePolicy(policy: unknown): unknown {
  if (!policy || typeof policy !== 'object') {
    return undefined;
  }
  const prune = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const items = v.map(prune);

      return items.length ? items : undefined;
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};

      for (const [k, x] of Object.entries(v)) {
        const p = prune(x);

        if (p !== undefined) {
          out[k] = p;
        }
      }

      return out;
    }

    return v === '' || v === null ? undefined : v;
  };
  const p = policy as Record<string, unknown>;
  const picked: Record<string, unknown> = {
    apiVersion: p.apiVersion, kind: p.kind, rules: p.rules, omitStages: p.omitStages, omitManagedFields: p.omitManagedFields || undefined
  };

  return prune(picked) ?? {};
}

/** A Go-quoted string (strconv.Quote) back to its text. */
export function goUnquote(quoted: string): string {
  const named: Record<string, string> = {
    a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"'
  };

  return quoted.slice(1, -1).replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)/g, (_m, esc: string) => named[esc] ?? String.fromCodePoint(parseInt(esc.slice(1), 16)));
}

/** The judge's JSON as a value (undefined when there is none, or the input was not valid JSON). */
function parsed(json: string | null): unknown {
  try {
    return json === null ? undefined : JSON.parse(json);
  } catch {
    return undefined;
  }
}

/** The judge's verdict in the same terms. */
export function judgeView(v: JudgeVerdict): DecodeView {
  const strict = v.strictErrors;
  const field = (re: RegExp) => strict.flatMap((e) => {
    const m = re.exec(e);

    return m ? [m[1]] : [];
  });
  const keys = strict.filter((e) => e.startsWith('yaml: unmarshal errors:')).flatMap((e) => [...e.matchAll(/key (.*) already set in map/g)].map((m) => m[1]));

  return {
    ok:              v.ok,
    error:           v.error,
    value:           parsed(v.converted),
    unknownFields:   sorted(field(/^unknown field ("(?:[^"\\]|\\.)*")$/).map(goUnquote)),
    duplicateFields: sorted(field(/^duplicate field ("(?:[^"\\]|\\.)*")$/).map(goUnquote)),
    duplicateKeys:   sorted(keys),
    policy:          v.ok ? comparablePolicy(v.policy) : undefined,
  };
}

/** What our readers make of the bytes: the fast path (readPolicy) and the precise one (positions). */
export function ourViews(bytes: Uint8Array): { fast: DecodeView, precise: DecodeView } {
  const decoded = decodePolicyBytes(bytes);

  if (!decoded.ok) {
    const failed: DecodeView = {
      ok: false, error: `failed decoding: ${ decoded.error }`, value: undefined, unknownFields: [], duplicateFields: [], duplicateKeys: [], policy: undefined
    };

    return { fast: failed, precise: failed };
  }
  const text = decoded.text;

  return {
    fast:    view(readPolicy(text), readSource(text)),
    precise: view(readPolicy(text, { positions: true }), readSource(text, true)),
  };
}

/**
 * Whether two errors say the same: identical (ours may add a hint after `: ` or `; `), or both YAML syntax
 * errors (the `yaml` package and libyaml word those differently; ours carries a column), or the same Go
 * %#v-free prefix.
 */
export function sameError(ours: string, judge: string): boolean {
  if (ours === judge || (judge && (ours.startsWith(`${ judge }: `) || ours.startsWith(`${ judge }; `)))) {
    return true;
  }
  if (/^failed decoding: yaml: line \d+, column \d+: /.test(ours)) {
    return judge.startsWith('failed decoding: yaml: ') && !/excessive aliasing|exceeded max depth|unknown anchor|contains itself|cannot decode|invalid map key|map merge/.test(judge);
  }
  const prefix = /^(failed decoding: (?:Unsupported map key of type: [^,]*|yaml: invalid map key:))/.exec(ours);

  return !!prefix && judge.startsWith(prefix[1]);
}

/** A value as canonical JSON (object keys sorted), built without recursion so any depth compares. */
export function canonical(value: unknown): string {
  const out: string[] = [];
  // strings starting with NUL are punctuation to emit (no YAML or JSON text yields a NUL in a value here)
  const stack: unknown[] = [value];

  while (stack.length) {
    const v = stack.pop();

    if (typeof v === 'string' && v.startsWith('\u0000')) {
      out.push(v.slice(1));
      continue;
    }
    if (Array.isArray(v)) {
      out.push('[');
      stack.push('\u0000]');
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i]);
        if (i > 0) {
          stack.push('\u0000,');
        }
      }
      continue;
    }
    if (v && typeof v === 'object') {
      const keys = Object.keys(v).sort();

      out.push('{');
      stack.push('\u0000}');
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push((v as Record<string, unknown>)[keys[i]]);
        stack.push(`\u0000${ i > 0 ? ',' : '' }${ JSON.stringify(keys[i]) }:`);
      }
      continue;
    }
    out.push(v === undefined ? 'undefined' : Object.is(v, -0) ? '-0' : JSON.stringify(v) ?? String(v));
  }

  return out.join('');
}
