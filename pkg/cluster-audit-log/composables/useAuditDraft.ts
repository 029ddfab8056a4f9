/**
 * The draft the Audit Log tab edits: settings plus the policy, kept two-way between the rule form and the
 * YAML editor. YAML that does not decode leaves the form on the last good policy. All checks are the
 * engine's (policy/) and the plan's (delivery/); nothing here decides what is valid.
 */
import { computed, reactive, ref, shallowRef } from 'vue';
import { AuditSettings, clone, deepEqual, Plan } from '../delivery';
import { translateMessage, Translate } from './useT';
import {
  Diagnostic, editPolicyText, evaluatePolicy, Finding, lintPolicy, LoadResult, Policy, policyToYaml, PolicyRule, prepareEdit, presetPolicy, readForEdit, readPolicy, RequestAttributes,
  RequestAuditConfig
} from '../policy';

/** kube-apiserver's errors of one rule, by field name (`level`, `nonResourceURLs`, `resources`...). */
export type RuleErrors = Record<string, Diagnostic>;

/** Creates the draft from the settings read off the cluster. */
export function useAuditDraft(initial: AuditSettings) {
  const baseline = ref<AuditSettings>(clone(initial));
  const settings = reactive<AuditSettings>(clone(initial));
  const lastGood = readPolicy(initial.policyYaml).policy;
  /**
   * The decoded policy the form shows. Replaced whole on every change, never changed in place, so it is not made
   * deeply reactive: the engine reads plain objects, not a proxy per rule and field (a policy may have hundreds).
   */
  const policy = shallowRef<Policy>(lastGood || presetPolicy('cis-minimal') as Policy);

  /** Read fast, once per text: the read a form edit made of the text it wrote is this read (policy/edit.ts). */
  const load = computed<LoadResult>(() => readForEdit(settings.policyYaml));
  const unplaced = computed<Finding[]>(() => lintPolicy(load.value));
  /** The findings with their lines and columns, for the text they were worked out for (see placeFindings). */
  const placed = shallowRef<{ text: string, findings: Finding[] } | null>(null);
  /** Set by the first edit: from then on positions wait until the edit is shown. */
  let edited = false;
  const positioned = (text: string) => lintPolicy(readPolicy(text, { positions: true }));
  /**
   * The lint findings of the text. Source positions (for line numbers) take a second, slower read: they are only
   * worked out when there is something to point at, and after an edit only once the edit is shown (placeFindings
   * runs when the page is idle); until then the findings show without them.
   */
  const findings = computed<Finding[]>(() => {
    const text = settings.policyYaml;

    if (!unplaced.value.length || Object.keys(load.value.positions).length) {
      return unplaced.value;
    }
    if (placed.value?.text === text) {
      return placed.value.findings;
    }

    return edited ? unplaced.value : positioned(text);
  });
  const blockingFindings = computed(() => findings.value.filter((f) => f.severity === 'error'));
  /** A YAML error that keeps the text from decoding at all (the form stays on the last good policy). */
  const yamlError = computed<Diagnostic | null>(() => (load.value.policy ? null : load.value.errors[0] || null));
  const dirty = computed(() => !deepEqual(settings, baseline.value));

  /** Field errors per rule index, from kube-apiserver's validation paths (`rules[2].level`). */
  const ruleErrors = computed<Record<number, RuleErrors>>(() => {
    const out: Record<number, RuleErrors> = {};

    for (const e of load.value.errors) {
      const m = /^rules\[(\d+)\]\.?([A-Za-z]*)/.exec(e.path);

      if (m) {
        const i = Number(m[1]);

        out[i] = out[i] || {};
        out[i][m[2] || 'rule'] = e;
      }
    }

    return out;
  });

  /** Works out the findings' source positions for the current text, if they lack them. */
  function placeFindings(): void {
    const text = settings.policyYaml;

    if (findings.value === unplaced.value && unplaced.value.length && !Object.keys(load.value.positions).length) {
      placed.value = { text, findings: positioned(text) };
    }
  }

  /**
   * After an edit, once the page is idle (the edit is shown): the findings' positions, and the text read ahead of
   * the next form edit so that edit does not parse it again (policy/edit.ts prepareEdit).
   */
  function whenIdle(): void {
    edited = true;
    const run = () => {
      placeFindings();
      prepareEdit(settings.policyYaml);
    };

    if (typeof requestIdleCallback === 'function') {
      requestIdleCallback(run, { timeout: 1000 });
    } else {
      setTimeout(run, 100);
    }
  }

  /** Replaces the policy from the form: only what changed is edited in the YAML (comments and layout elsewhere stay). */
  function setPolicy(next: Policy): void {
    settings.policyYaml = editPolicyText(settings.policyYaml, policy.value, next);
    policy.value = next;
    whenIdle();
  }

  /** Takes YAML typed by hand: the text is kept as typed; the form follows when it decodes. */
  function setYaml(text: string): void {
    settings.policyYaml = text;
    const decoded = load.value.policy;

    if (decoded) {
      policy.value = decoded;
      whenIdle();
    }
  }

  function setRules(rules: PolicyRule[]): void {
    setPolicy({ ...policy.value, rules });
  }

  function updateRule(index: number, rule: PolicyRule): void {
    setRules(policy.value.rules.map((r, i) => (i === index ? rule : r)));
  }

  function addRule(rule: PolicyRule = { level: 'Metadata' }): number {
    setRules([...policy.value.rules, rule]);

    return policy.value.rules.length - 1;
  }

  function duplicateRule(index: number): void {
    const rules = [...policy.value.rules];

    rules.splice(index + 1, 0, clone(rules[index]));
    setRules(rules);
  }

  function removeRule(index: number): void {
    setRules(policy.value.rules.filter((_, i) => i !== index));
  }

  function moveRule(index: number, delta: -1 | 1): void {
    const to = index + delta;

    if (to < 0 || to >= policy.value.rules.length) {
      return;
    }
    const rules = [...policy.value.rules];

    [rules[index], rules[to]] = [rules[to], rules[index]];
    setRules(rules);
  }

  function applyPreset(id: string): void {
    const preset = presetPolicy(id);

    if (preset) {
      policy.value = preset;
      settings.policyYaml = policyToYaml(preset);
      whenIdle();
    }
  }

  /** Goes back to the policy the cluster has now. */
  function applyExisting(): void {
    setYaml(baseline.value.policyYaml);
  }

  /** Which rule a request matches, and what it gets. */
  function testRequest(attrs: RequestAttributes): RequestAuditConfig {
    return evaluatePolicy(policy.value, attrs);
  }

  /** After a successful save: what was saved becomes the new baseline. */
  function markSaved(): void {
    baseline.value = clone(settings);
  }

  return {
    settings,
    policy,
    load,
    findings,
    blockingFindings,
    yamlError,
    ruleErrors,
    dirty,
    baseline,
    setPolicy,
    setYaml,
    updateRule,
    addRule,
    duplicateRule,
    removeRule,
    moveRule,
    applyPreset,
    applyExisting,
    testRequest,
    markSaved,
  };
}

export type AuditDraft = ReturnType<typeof useAuditDraft>;

/**
 * Why the draft cannot be saved, in the UI's words, or null: a plan error (a policy kube-apiserver would refuse, a
 * method the distro lacks...) or, with audit logging on, a lint error (bodies of Secrets in the log...).
 */
export function saveBlocker(plan: Plan, draft: AuditDraft, t: Translate): string | null {
  if (plan.errors.length) {
    return t('clusterAuditLog.save.blocked', { reason: plan.errors.map((e) => translateMessage(t, e)).join('; ') });
  }
  if (draft.settings.enabled && draft.blockingFindings.value.length) {
    return t('clusterAuditLog.save.lintBlocked', { reason: draft.blockingFindings.value.map((f) => `${ f.path }: ${ translateMessage(t, f) }`).join('; ') });
  }

  return null;
}
