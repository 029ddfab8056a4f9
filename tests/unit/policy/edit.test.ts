/**
 * editPolicyText: a form edit changes only the edited node of the policy text. For every real policy in
 * tests/fixtures/policies (and edit-layout.yaml, written for this) and every single edit the rule form makes,
 * the text read back is the edited policy, only the edited node's lines differ, and no comment is lost.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { LineCounter, parseDocument, YAMLSeq } from 'yaml';
import { useAuditDraft } from '@pkg/composables/useAuditDraft';
import { defaultSettings } from '@pkg/delivery';
import {
  editPolicyText, LEVELS, normalizePolicy, Policy, policyToYaml, PolicyRule, presetPolicy, readPolicy, STAGES
} from '@pkg/policy';
import { rke2Cluster } from '../../support/clusters';

const FIXTURES = join(__dirname, '../../fixtures/policies');
const V1 = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

const policyOf = (text: string): Policy => readPolicy(text).policy as Policy;

/** The real policies kube-apiserver decodes (the form edits only those; see 'written anew' for the others). */
const texts: [name: string, text: string][] = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort().map((f): [string, string] => [f, readFileSync(join(FIXTURES, f), 'utf8')])
  .filter(([, text]) => policyOf(text));
const fixture = (name: string) => (texts.find(([n]) => n === name) as [string, string])[1];
const crlf = (name: string): [string, string] => [`${ name } with CRLF line breaks`, fixture(name).replace(/\n/g, '\r\n')];
const fixtures: [name: string, text: string][] = [...texts, crlf('k8s-docs-example.yaml'), crlf('edit-layout.yaml')];

const readsAs = (text: string): Policy => normalizePolicy(policyOf(text));
const isComment = (line: string) => /^\s*#/.test(line);
const isCommentOrBlank = (line: string) => /^\s*(#.*)?\r?$/.test(line);
/** The comment lines of a text, sorted (a multiset). */
const comments = (lines: string[]) => lines.filter(isComment).map((l) => l.trim()).sort();

/** True when every element of `part` is in `whole`, as many times (both sorted). */
function within(part: string[], whole: string[]): boolean {
  const left = [...whole];

  return part.every((x) => {
    const i = left.indexOf(x);

    return i >= 0 && left.splice(i, 1).length === 1;
  });
}

/** Line diff (longest common subsequence): the indexes of removed original lines and the added lines. */
function lineDiff(a: string[], b: string[]): { removed: number[], added: string[] } {
  const t: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));

  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
    }
  }
  const removed: number[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;

  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j >= b.length || (i < a.length && t[i + 1][j] >= t[i][j + 1])) {
      removed.push(i++);
    } else {
      added.push(b[j++]);
    }
  }

  return { removed, added };
}

/**
 * The lines of each rule, [first, last, dash] (0-based, inclusive): from its `-` to its last line of content,
 * with the comment and blank lines directly above it; comment lines after its content belong to the next rule.
 */
function ruleLines(text: string): [number, number, number][] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', lineCounter: counter });
  const lines = text.split('\n');
  const dashes = (doc.get('rules', true) as YAMLSeq).items.map((item) => counter.linePos((item as { range: number[] }).range[0]).line - 1);
  const out: [number, number, number][] = [];

  dashes.forEach((dash, i) => {
    let first = i ? out[i - 1][1] + 1 : dash;
    let last = (i + 1 < dashes.length ? dashes[i + 1] : lines.length) - 1;

    if (!i) {
      while (first > 0 && isCommentOrBlank(lines[first - 1])) {
        first--;
      }
    }
    while (last > dash && isCommentOrBlank(lines[last])) {
      last--;
    }
    out.push([first, last, dash]);
  });

  return out;
}

/** A single edit of the rule form: the new policy and the rule it is about, or undefined where it does not apply. */
type FormEdit = (p: Policy) => [after: Policy, rule: number] | undefined;

const withRule = (p: Policy, i: number, f: (r: PolicyRule) => PolicyRule): [Policy, number] => [{ ...p, rules: p.rules.map((r, k) => (k === i ? f(r) : r)) }, i];
const middle = (p: Policy) => Math.floor(p.rules.length / 2);
const firstRule = (p: Policy, test: (r: PolicyRule) => boolean) => {
  const i = p.rules.findIndex(test);

  return i < 0 ? undefined : i;
};
const otherLevel = (level: string) => LEVELS[(LEVELS.indexOf(level as typeof LEVELS[number]) + 1) % LEVELS.length];

const changeLevel: FormEdit = (p) => withRule(p, middle(p), (r) => ({ ...r, level: otherLevel(r.level) }));
const addUser: FormEdit = (p) => withRule(p, middle(p), (r) => ({ ...r, users: [...(r.users || []), 'alice@example.com'] }));
const removeUser: FormEdit = (p) => {
  const i = firstRule(p, (r) => !!r.users?.length);

  return i === undefined ? undefined : withRule(p, i, (r) => ({ ...r, users: r.users?.slice(0, -1) }));
};
const addRule: FormEdit = (p) => [{ ...p, rules: [...p.rules, { level: 'Metadata' }] }, p.rules.length];
const deleteRule: FormEdit = (p) => (p.rules.length < 2 ? undefined : [{ ...p, rules: p.rules.filter((_, k) => k !== middle(p)) }, middle(p)]);
const duplicateRule: FormEdit = (p) => [{ ...p, rules: p.rules.flatMap((r, k) => (k === middle(p) ? [r, structuredClone(r)] : [r])) }, middle(p)];
const moveUp: FormEdit = (p) => {
  const i = middle(p);

  return i < 1 ? undefined : [{ ...p, rules: p.rules.map((r, k) => (k === i - 1 ? p.rules[i] : k === i ? p.rules[i - 1] : r)) }, i];
};
const toggleManagedFields: FormEdit = (p) => withRule(p, middle(p), (r) => ({ ...r, omitManagedFields: !(r.omitManagedFields ?? false) }));
const setNamespaces: FormEdit = (p) => {
  const i = firstRule(p, (r) => !r.namespaces?.length && !r.nonResourceURLs?.length);

  return i === undefined ? undefined : withRule(p, i, (r) => ({ ...r, namespaces: ['kube-system'] }));
};

/** How the lines of the text change. */
type Lines = 'one line replaced' | 'one line changed or added' | 'one line added' | 'lines of the rule removed' | 'the rule removed' | 'the rule copied' | 'two rules swapped';

const EDITS: [edit: string, FormEdit, Lines][] = [
  ['change a rule\'s level', changeLevel, 'one line replaced'],
  ['add a user', addUser, 'one line changed or added'],
  ['remove a user', removeUser, 'lines of the rule removed'],
  ['add a rule', addRule, 'one line added'],
  ['delete a rule', deleteRule, 'the rule removed'],
  ['duplicate a rule', duplicateRule, 'the rule copied'],
  ['move a rule up', moveUp, 'two rules swapped'],
  ['toggle omitManagedFields', toggleManagedFields, 'one line changed or added'],
  ['set namespaces on a rule that has none', setNamespaces, 'one line added'],
];

/** The original lines with the rules' line ranges rearranged; a negative -k-1 is rule k without the comments above it. */
function rearranged(lines: string[], rules: [number, number, number][], order: number[]): string[] {
  const [start] = rules[0];
  const end = rules[rules.length - 1][1] + 1;
  const span = (k: number) => (k < 0 ? lines.slice(rules[-k - 1][2], rules[-k - 1][1] + 1) : lines.slice(rules[k][0], rules[k][1] + 1));

  return [...lines.slice(0, start), ...order.flatMap(span), ...lines.slice(end)];
}

const cases = fixtures.flatMap(([name, text]) => EDITS.flatMap(([edit, formEdit, effect]) => {
  const edited = formEdit(policyOf(text));

  return edited ? [[name, edit, effect, text, ...edited] as const] : [];
}));

describe('editPolicyText: every single form edit on every real policy', () => {
  it('covers every fixture and every edit', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(fixtures.length);
    expect(new Set(cases.map(([, edit]) => edit)).size).toBe(EDITS.length);
  });

  it.each(cases)('%s: %s -> %s', (_name, _edit, effect, text, after, rule) => {
    const out = editPolicyText(text, policyOf(text), after);
    const a = text.split('\n');
    const b = out.split('\n');
    const { removed, added } = lineDiff(a, b);
    const rules = ruleLines(text);
    const order = rules.map((_, k) => k);

    expect(readsAs(out)).toEqual(normalizePolicy(after));
    switch (effect) {
    case 'one line replaced':
      expect([removed.length, added.length]).toEqual([1, 1]);
      expect(removed[0]).toBeGreaterThanOrEqual(rules[rule][0]);
      expect(removed[0]).toBeLessThanOrEqual(rules[rule][1]);
      break;
    case 'one line changed or added':
      expect(added.length).toBe(1);
      expect(removed.length).toBeLessThanOrEqual(1);
      break;
    case 'one line added':
      expect([removed.length, added.length]).toEqual([0, 1]);
      break;
    case 'lines of the rule removed':
      expect(removed.length).toBeGreaterThan(0);
      expect(added.length).toBeLessThanOrEqual(1);
      expect(removed.every((line) => line >= rules[rule][0] && line <= rules[rule][1])).toBe(true);
      break;
    case 'the rule removed':
      expect(b).toEqual(rearranged(a, rules, order.filter((k) => k !== rule)));
      break;
    case 'the rule copied':
      expect(b).toEqual(rearranged(a, rules, order.flatMap((k) => (k === rule ? [k, -k - 1] : [k]))));
      break;
    case 'two rules swapped':
      expect(b).toEqual(rearranged(a, rules, order.map((k) => (k === rule - 1 ? rule : k === rule ? rule - 1 : k))));
      break;
    }
    const kept = effect === 'the rule removed' ? a.filter((_, k) => k < rules[rule][0] || k > rules[rule][1]) : a;

    expect(within(comments(kept), comments(b))).toBe(true);
  });

  it('deleting the only rule leaves an empty list', () => {
    const text = fixture('rancher-docs-secret-metadata.yaml');
    const before = policyOf(text);

    expect(editPolicyText(text, before, { ...before, rules: [] })).toBe('# Log all requests at the Metadata level.\napiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []');
  });

  it('a rule\'s level: the one line that changes is that rule\'s level, in its own quotes', () => {
    const text = fixture('edit-layout.yaml');
    const before = policyOf(text);
    const out = editPolicyText(text, before, withRule(before, 3, (r) => ({ ...r, level: 'Metadata' }))[0]);

    expect(out).toBe(text.replace('  - level: "RequestResponse" # who changed RBAC', '  - level: "Metadata" # who changed RBAC'));
  });
});

describe('editPolicyText: new and changed scalars keep their YAML 1.1 meaning', () => {
  const text = `${ V1 }rules:\n- level: None\n  users: [alice] # people\n  userGroups: ['admins']\n  namespaces:\n  - default\n`;

  // value -> the users line (flow, plain before), the userGroups line (single-quoted before), the namespaces item (block)
  it.each([
    ['bob', '  users: [bob] # people', '  userGroups: [\'bob\']', '  - bob'],
    ['yes', '  users: ["yes"] # people', '  userGroups: [\'yes\']', '  - "yes"'],
    ['ON', '  users: ["ON"] # people', '  userGroups: [\'ON\']', '  - "ON"'],
    ['1', '  users: ["1"] # people', '  userGroups: [\'1\']', '  - "1"'],
    ['0o17', '  users: ["0o17"] # people', '  userGroups: [\'0o17\']', '  - "0o17"'],
    ['~', '  users: ["~"] # people', '  userGroups: [\'~\']', '  - "~"'],
    ['', '  users: [""] # people', '  userGroups: [\'\']', '  - ""'],
    ['*', '  users: ["*"] # people', '  userGroups: [\'*\']', '  - "*"'],
    ['system:masters', '  users: ["system:masters"] # people', '  userGroups: [\'system:masters\']', '  - system:masters'],
    ['a: b', '  users: ["a: b"] # people', '  userGroups: [\'a: b\']', '  - "a: b"'],
    ['#x', '  users: ["#x"] # people', '  userGroups: [\'#x\']', '  - "#x"'],
    ['it\'s', '  users: ["it\'s"] # people', '  userGroups: [\'it\'\'s\']', '  - "it\'s"'],
    ['tab\there', '  users: ["tab\\there"] # people', '  userGroups: ["tab\\there"]', '  - "tab\\there"'],
    ['line\u2028break', '  users: ["line\\u2028break"] # people', '  userGroups: ["line\\u2028break"]', '  - "line\\u2028break"'],
  ])('%j', (value, users, userGroups, namespaces) => {
    const before = policyOf(text);
    const out = editPolicyText(text, before, withRule(before, 0, (r) => ({
      ...r, users: [value], userGroups: [value], namespaces: [value]
    }))[0]);

    expect(out).toBe(`${ V1 }rules:\n- level: None\n${ users }\n${ userGroups }\n  namespaces:\n${ namespaces }\n`);
    expect(policyOf(out).rules[0]).toEqual({
      level: 'None', users: [value], userGroups: [value], namespaces: [value]
    });
  });
});

describe('editPolicyText: layouts the splicer writes into', () => {
  const rule0 = (f: (r: PolicyRule) => PolicyRule) => (p: Policy) => withRule(p, 0, f)[0];
  const rules = (f: (r: PolicyRule[]) => PolicyRule[]) => (p: Policy) => ({ ...p, rules: f(p.rules) });
  const pods = { group: '', resources: ['pods'] };

  // text after V1, the form edit -> the text after V1
  it.each([
    ['a duplicate key: the last one is the one read', 'rules:\n- level: None\n  level: Request\n', rule0((r) => ({ ...r, level: 'Metadata' })), 'rules:\n- level: None\n  level: Metadata\n'],
    ['an empty value', 'rules:\n- level: None\n  users:\n  verbs: [get]\n', rule0((r) => ({ ...r, users: ['bob'] })), 'rules:\n- level: None\n  users: [bob]\n  verbs: [get]\n'],
    ['an empty value with a comment', 'rules:\n- level: None\n  users: # nobody\n', rule0((r) => ({ ...r, users: ['bob'] })), 'rules:\n- level: None\n  users: [bob] # nobody\n'],
    ['a null', 'rules:\n- level: None\n  users: ~\n', rule0((r) => ({ ...r, users: ['bob'] })), 'rules:\n- level: None\n  users: [bob]\n'],
    ['an empty list', 'rules:\n- level: None\n  users: []\n', rule0((r) => ({ ...r, users: ['bob'] })), 'rules:\n- level: None\n  users: [bob]\n'],
    ['no rules yet: a block list', '# none yet\nrules: [] # later\n', rules(() => [{ level: 'Metadata', resources: [pods] }]), '# none yet\nrules: # later\n  - level: Metadata\n    resources:\n      - group: ""\n        resources: [pods]\n'],
    ['no rules key: after kind, in Go field order', 'omitStages: [RequestReceived]\n', rules(() => [{ level: 'Metadata' }]), 'rules:\n  - level: Metadata\nomitStages: [RequestReceived]\n'],
    ['a rule in flow style', 'rules:\n- {level: None, users: [a]} # flow\n', rule0((r) => ({ ...r, level: 'Request', namespaces: ['ns'] })), 'rules:\n- {level: Request, users: [a], namespaces: [ns]} # flow\n'],
    ['a key removed from a flow rule', 'rules:\n- {level: None, users: [a], verbs: [get]}\n', rule0(() => ({ level: 'None', verbs: ['get'] })), 'rules:\n- {level: None, verbs: [get]}\n'],
    ['items whose `-` is alone on its line', 'rules:\n-\n  level: None\n-\n  level: Metadata\n', rules(([a, b]) => [b, a, { level: 'Request' }]), 'rules:\n-\n  level: Metadata\n-\n  level: None\n- level: Request\n'],
    ['comments after the last rule stay last', 'rules:\n- level: None\n# end of rules\n', rules((r) => [...r, { level: 'Request' }]), 'rules:\n- level: None\n- level: Request\n# end of rules\n'],
    ['the policy\'s own field', 'omitStages: [RequestReceived]\nrules:\n- level: None\n', (p: Policy) => ({ ...p, omitManagedFields: true }), 'omitStages: [RequestReceived]\nrules:\n- level: None\nomitManagedFields: true\n'],
    ['a field removed: the comment above it stays', '# quiet\nomitStages: [RequestReceived]\nrules:\n- level: None\n', (p: Policy) => ({ ...p, omitStages: [] }), '# quiet\nrules:\n- level: None\n'],
    ['a block scalar', 'rules:\n- level: |-\n    None\n  users: [a]\n', rule0((r) => ({ ...r, level: 'Metadata' })), 'rules:\n- level: Metadata\n  users: [a]\n'],
    ['a list item added to a block list', 'rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [pods]\n', rule0((r) => ({ ...r, resources: [pods, { group: 'apps', resources: ['deployments'] }] })), 'rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [pods]\n  - group: apps\n    resources: [deployments]\n'],
    ['a map in metadata', 'metadata:\n  name: p # n\nrules:\n- level: None\n', (p: Policy) => ({ ...p, metadata: { name: 'q', labels: { 'app.kubernetes.io/name': 'x' } } }), 'metadata:\n  name: q # n\n  labels:\n    app.kubernetes.io/name: x\nrules:\n- level: None\n'],
  ])('%s', (_name, text, edit, expected) => {
    const before = policyOf(V1 + text);
    const out = editPolicyText(V1 + text, before, edit(before));

    expect(out).toBe(V1 + expected);
    expect(readsAs(out)).toEqual(normalizePolicy(edit(before)));
  });

  it.each([
    ['JSON: a new rule and a new field are JSON', '{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "None"}]}', '{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "None", "users": ["a"]}, {"level": "Metadata"}]}'],
    ['CRLF: new lines end with CRLF', `${ V1 }rules:\n- level: None\n`.replace(/\n/g, '\r\n'), `${ V1 }rules:\n- level: None\n  users: [a]\n- level: Metadata\n`.replace(/\n/g, '\r\n')],
  ])('%s', (_name, text, expected) => {
    const before = policyOf(text);

    expect(editPolicyText(text, before, { ...before, rules: [{ level: 'None', users: ['a'] }, { level: 'Metadata' }] })).toBe(expected);
  });
});

describe('editPolicyText: text the splicer leaves alone', () => {
  const rule = `${ V1 }rules:\n- level: None\n  users: [alice]\n`;
  const after: Policy = { ...policyOf(rule), rules: [{ level: 'Metadata', users: ['alice'] }] };

  // text -> written anew by policyToYaml
  it.each([
    ['YAML that does not parse', `${ V1 }rules:\n- level: None\n  users: [alice\n`],
    ['two documents', `${ rule }---\n${ rule }`],
    ['an anchor and an alias', `${ V1 }rules:\n- &r\n  level: None\n  users: [alice]\n- *r\n`],
    ['a merge key', `${ V1 }rules:\n- <<: {level: None}\n  users: [alice]\n`],
    ['no text', ''],
    ['a policy kube-apiserver does not decode (v1beta1)', readFileSync(join(FIXTURES, 'falco-examples-audit-policy.yaml'), 'utf8')],
  ])('%s is written anew', (_name, text) => {
    expect(editPolicyText(text, policyOf(rule), after)).toBe(policyToYaml(after));
  });

  it('comments and no document: the policy is written after the comments', () => {
    const text = '# the policy of cluster c1\n# goes here';

    expect(editPolicyText(text, policyOf(text), after)).toBe(`${ text }\n${ policyToYaml(after) }`);
  });

  // text, the edit of rule 0 -> the yaml Document edited and printed again, with the text's comments
  it.each([
    ['a tag on the changed scalar', `${ V1 }# who logs\nrules:\n- level: !!str None # tagged\n  users: [alice]\n`, (r: PolicyRule) => ({ ...r, level: 'Metadata' })],
    ['the first key of a rule removed, a comment before the next', `${ V1 }rules:\n- users: [bob]\n  # the catch-all\n  level: Metadata\n  omitStages: [RequestReceived] # quiet\n`, (r: PolicyRule) => ({ ...r, users: [] })],
  ])('%s: the Document is edited, comments stay', (_name, text, edit) => {
    const [edited] = withRule(policyOf(text), 0, edit);
    const out = editPolicyText(text, policyOf(text), edited);

    expect(readsAs(out)).toEqual(normalizePolicy(edited));
    for (const comment of comments(text.split('\n'))) {
      expect(out).toContain(comment);
    }
  });

  it('no change: the text is returned as it is', () => {
    const text = texts[0][1];

    expect(editPolicyText(text, policyOf(text), structuredClone(policyOf(text)))).toBe(text);
  });

  it('JSON text stays JSON: a level change is one line, a new rule is JSON too', () => {
    const text = JSON.stringify(policyOf(fixture('k8s-docs-example.yaml')), null, 2);
    const before = policyOf(text);
    const [level] = changeLevel(before) as [Policy, number];
    const [more] = addRule(before) as [Policy, number];
    const changed = editPolicyText(text, before, level);
    const { removed, added } = lineDiff(text.split('\n'), changed.split('\n'));

    expect([removed.length, added.length]).toEqual([1, 1]);
    expect(readsAs(changed)).toEqual(normalizePolicy(level));
    expect(JSON.parse(editPolicyText(text, before, more))).toEqual(JSON.parse(JSON.stringify(more)));
  });
});

describe('the draft: a form edit keeps the rest of the text, a preset replaces it', () => {
  const text = fixture('k8s-docs-example.yaml');
  const draft = () => useAuditDraft({ ...defaultSettings(rke2Cluster('c1'), 'rke2'), policyYaml: text });

  it('updateRule changes the one line of the level', () => {
    const d = draft();

    d.updateRule(2, { ...d.policy.value.rules[2], level: 'Metadata' });
    expect(d.settings.policyYaml).toBe(text.replace('- level: None\n  resources:\n  - group: ""\n    resources: ["configmaps"]', '- level: Metadata\n  resources:\n  - group: ""\n    resources: ["configmaps"]'));
    expect(d.yamlError.value).toBeNull();
  });

  it('edits one after another (each rule object kept until its rule changes): each reads back as the form\'s policy, only the edited rule\'s lines change', () => {
    fc.assert(fc.property(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...LEVELS), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 12 }), ([, start], steps) => {
      const d = useAuditDraft({ ...defaultSettings(rke2Cluster('c1'), 'rke2'), policyYaml: start });

      for (const [pick, level, name] of steps) {
        const i = pick % d.policy.value.rules.length;
        const rule = d.policy.value.rules[i];
        const next = pick % 2 ? { ...rule, level } : { ...rule, users: [...(rule.users || []), name] };
        const text = d.settings.policyYaml;
        const [first, last] = ruleLines(text)[i];

        d.updateRule(i, next);
        const lines = text.split('\n');
        const out = d.settings.policyYaml.split('\n');

        expect(readsAs(d.settings.policyYaml)).toEqual(normalizePolicy(d.policy.value));
        expect(out.slice(0, first)).toEqual(lines.slice(0, first));
        expect(out.slice(out.length - (lines.length - last - 1))).toEqual(lines.slice(last + 1));
      }
    }), { numRuns: 60, seed: 20261202 });
  });

  it('applyPreset writes the preset anew', () => {
    const d = draft();

    d.applyPreset('gke');
    expect(d.settings.policyYaml).toBe(policyToYaml(presetPolicy('gke') as Policy));
  });
});

describe('editPolicyText: property', () => {
  const names = fc.oneof(
    fc.constantFrom('yes', 'no', 'on', 'off', 'y', 'N', 'true', 'null', '~', '', '1', '0o17', '0x1F', '1e3', '.inf', '12:30', '*', 'a: b', '#x', 'x #y', '[a]', '{a}', '- a', '"q"', '\'s\'', 'it\'s', 'a,b', ' lead', 'trail ', 'ü', 'tab\there', '@at', '%p', '!t', '&a', '|', '>', 'system:masters'),
    fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
  );
  const list = fc.array(names, { maxLength: 3 });
  const edits = fc.oneof(
    fc.record({ t: fc.constant('level' as const), level: fc.constantFrom(...LEVELS) }),
    fc.record({ t: fc.constant('names' as const), field: fc.constantFrom('users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs', 'omitStages'), names: list }),
    fc.record({ t: fc.constant('managedFields' as const), value: fc.option(fc.boolean(), { nil: undefined }) }),
    fc.record({
      t: fc.constant('resources' as const), at: fc.nat(), how: fc.constantFrom('names', 'group', 'add', 'remove'), group: fc.constantFrom('', 'apps', 'rbac.authorization.k8s.io'), names: list
    }),
    fc.record({ t: fc.constant('add' as const), rule: fc.record({ level: fc.constantFrom(...LEVELS), users: list }) }),
    fc.record({ t: fc.constantFrom('delete' as const, 'duplicate' as const, 'up' as const, 'down' as const) }),
    fc.record({ t: fc.constant('policy' as const), omitStages: fc.subarray([...STAGES]), omitManagedFields: fc.option(fc.boolean(), { nil: undefined }) }),
  );
  const texts2: [string, string][] = [...fixtures, ['k8s-docs-example.yaml as JSON', JSON.stringify(policyOf(fixture('k8s-docs-example.yaml')), null, 2)]];

  it('a random edit of a random rule of a random policy reads back as the edited policy; comments elsewhere stay', () => {
    fc.assert(fc.property(fc.constantFrom(...texts2), edits, fc.nat(), ([, text], edit, pick) => {
      const before = policyOf(text);
      const i = pick % before.rules.length;
      const rules = [...before.rules];
      let top = {};

      if (edit.t === 'level') {
        rules[i] = { ...rules[i], level: edit.level };
      } else if (edit.t === 'names') {
        rules[i] = { ...rules[i], [edit.field]: edit.names };
      } else if (edit.t === 'managedFields') {
        rules[i] = { ...rules[i], omitManagedFields: edit.value };
      } else if (edit.t === 'resources') {
        const resources = [...(rules[i].resources || [])];
        const j = edit.at % Math.max(resources.length, 1);

        if (edit.how === 'add' || !resources.length) {
          resources.splice(j, 0, { group: edit.group, resources: edit.names });
        } else if (edit.how === 'remove') {
          resources.splice(j, 1);
        } else {
          resources[j] = edit.how === 'group' ? { ...resources[j], group: edit.group } : { ...resources[j], resources: edit.names };
        }
        rules[i] = { ...rules[i], resources };
      } else if (edit.t === 'add') {
        rules.splice(i, 0, edit.rule);
      } else if (edit.t === 'delete') {
        rules.splice(i, 1);
      } else if (edit.t === 'duplicate') {
        rules.splice(i, 0, structuredClone(rules[i]));
      } else if (edit.t === 'policy') {
        top = { omitStages: edit.omitStages, omitManagedFields: edit.omitManagedFields };
      } else {
        const j = edit.t === 'up' ? i - 1 : i + 1;

        if (j >= 0 && j < rules.length) {
          [rules[i], rules[j]] = [rules[j], rules[i]];
        }
      }
      const after = { ...before, ...top, rules };
      const out = editPolicyText(text, before, after);
      const lines = text.split('\n');
      // A removed rule, field or list item takes the comments inside it (and a rule or item those above it).
      const removes = ['names', 'resources', 'delete'].includes(edit.t) && !text.startsWith('{');
      const span = removes ? ruleLines(text)[i] : undefined;
      const kept = span ? lines.filter((_, k) => k < span[0] || k > span[1]) : lines;

      expect(readsAs(out)).toEqual(normalizePolicy(after));
      expect(within(comments(kept), comments(out.split('\n')))).toBe(true);
      if (['level', 'names', 'managedFields', 'resources'].includes(edit.t) && !text.startsWith('{')) {
        // The lines before and after the edited rule are the same.
        const [first, last] = ruleLines(text)[i];
        const b = out.split('\n');

        expect(b.slice(0, first)).toEqual(lines.slice(0, first));
        expect(b.slice(b.length - (lines.length - last - 1))).toEqual(lines.slice(last + 1));
      }
    }), { numRuns: 400, seed: 20261202 });
  });
});
