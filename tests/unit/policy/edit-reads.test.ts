/**
 * Form edits read each text once (issue 11): policy/edit.ts remembers its reads of the last texts (readForEdit,
 * the Document prepareEdit parses ahead), and the draft works out the findings' positions when the page is idle.
 * None of that may change a result: every edit of every fixture gives the same text whether the text was read
 * before or not, readForEdit is readPolicy, and the draft's findings end up exactly as a fresh positioned read
 * gives them.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { useAuditDraft } from '@pkg/composables/useAuditDraft';
import { defaultSettings } from '@pkg/delivery';
import {
  editPolicyText, lintPolicy, Policy, PolicyRule, prepareEdit, readForEdit, readPolicy
} from '@pkg/policy';
import { rke2Cluster } from '../../support/clusters';

const FIXTURES = join(__dirname, '../../fixtures/policies');
const texts: [string, string][] = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort()
  .map((f): [string, string] => [f, readFileSync(join(FIXTURES, f), 'utf8')])
  .filter(([, text]) => readPolicy(text).policy);

/** A few edits the rule form makes, applied to the first rule. */
const edits: [string, (r: PolicyRule) => PolicyRule][] = [
  ['level', (r) => ({ ...r, level: r.level === 'None' ? 'Metadata' : 'None' })],
  ['users', (r) => ({ ...r, users: [...(r.users || []), 'jane'] })],
  ['verbs removed', ({ verbs: _, ...r }) => r],
  ['names', (r) => ({ ...r, resources: [{ group: '', resources: ['pods'], resourceNames: ['a', 'b'] }] })],
];

/** editPolicyText in a fresh copy of the module: nothing read before. */
function freshEdit(text: string, before: Policy, after: Policy): string {
  let out = '';

  jest.isolateModules(() => {
    out = require('@pkg/policy/edit').editPolicyText(text, before, after); // eslint-disable-line @typescript-eslint/no-require-imports
  });

  return out;
}

describe('a text read before is edited as a text never read', () => {
  it.each(texts)('%s: readForEdit is readPolicy; every edit, after prepareEdit and after an earlier edit, equals a fresh one', (_, text) => {
    const before = readPolicy(text).policy as Policy;

    expect(readForEdit(text)).toEqual(readPolicy(text));
    for (const [, edit] of edits) {
      const after = { ...before, rules: [edit(before.rules[0]), ...before.rules.slice(1)] };
      const expected = freshEdit(text, before, after);

      prepareEdit(text);
      expect(editPolicyText(text, before, after)).toBe(expected);
      // again: the text, its Document and the edit's output are all remembered now
      expect(editPolicyText(text, before, after)).toBe(expected);
      const again = { ...after, rules: [...after.rules, { level: 'Metadata' } as PolicyRule] };

      expect(editPolicyText(expected, after, again)).toBe(freshEdit(expected, after, again));
    }
  });
});

describe('the draft: the findings follow an edit once it is painted, and get their positions when the page is idle', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('before any edit: at once, with positions; after an edit: the old ones until painted, then the new ones, then with positions', async() => {
    const text = readFileSync(join(FIXTURES, 'k8s-docs-example.yaml'), 'utf8');
    const d = useAuditDraft({ ...defaultSettings(rke2Cluster('c1'), 'rke2'), policyYaml: text });
    const positioned = (t: string) => lintPolicy(readPolicy(t, { positions: true }));

    expect(d.findings.value.length).toBeGreaterThan(0);
    expect(d.findings.value).toEqual(positioned(text));
    expect(d.findings.value.every((f) => f.line)).toBe(true);

    d.updateRule(5, { ...d.policy.value.rules[5], level: 'Metadata' });
    const edited = d.settings.policyYaml;
    const steps: [string, () => void | Promise<void>, unknown[]][] = [
      ['right after the edit', () => undefined, positioned(text)],
      ['the watcher ran, the frame not yet painted', () => Promise.resolve(), positioned(text)],
      ['painted', () => jest.advanceTimersByTime(0), lintPolicy(readPolicy(edited))],
      ['idle', () => jest.runAllTimers(), positioned(edited)],
    ];

    for (const [, step, shown] of steps) {
      await step();
      expect(d.findings.value).toEqual(shown);
    }
    expect(lintPolicy(readPolicy(edited))).not.toEqual(lintPolicy(readPolicy(text)));
    expect(d.findings.value.every((f) => f.line)).toBe(true);
    // what blocks a save is always the text as it is now
    expect(d.blockingFindings.value).toEqual(positioned(edited).filter((f) => f.severity === 'error'));
  });
});
