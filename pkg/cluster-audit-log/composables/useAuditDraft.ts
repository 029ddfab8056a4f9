/**
 * The draft the Audit Log tab edits: settings plus the policy, kept two-way between the rule form and the
 * YAML editor. YAML that does not decode leaves the form on the last good policy. All checks are the
 * engine's (policy/) and the plan's (delivery/); nothing here decides what is valid.
 */
import {
  computed, reactive, ref, shallowRef, watch
} from 'vue';
import { AuditSettings, clone, deepEqual, Plan } from '../delivery';
import { translateMessage, Translate } from './useT';
import {
  Diagnostic, editPolicyText, evaluatePolicy, Finding, lintPolicy, LoadResult, Policy, policyToYaml, PolicyRule, prepareEdit, presetPolicy, readForEdit, readPolicy, RequestAttributes,
  RequestAuditConfig
} from '../policy';

/** kube-apiserver's errors of one rule, by field name (`level`, `nonResourceURLs`, `resources`...). */
export type RuleErrors = Record<string, Diagnostic>;

/** Runs `run` once the next frame is painted: a timer set from that frame's animation callback (a timer alone without one). */
function afterPaint(run: () => void): void {
  if (typeof requestAnimationFrame === 'function') {
    requestAnimationFrame(() => setTimeout(run, 0));
  } else {
    setTimeout(run, 0);
  }
}

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
  /** The findings with their lines and columns, for the text they were worked out for (see placeFindings). */
  const placed = shallowRef<{ text: string, findings: Finding[] } | null>(null);
  /** Set by the first edit: from then on positions wait until the edit is shown. */
  let edited = false;
  const positioned = (text: string) => lintPolicy(readPolicy(text, { positions: true }));
  /** The lint findings of the text linted last, without positions. */
  let linted: { text: string, findings: Finding[] } | null = null;
  const unplacedOf = (text: string): Finding[] => {
    if (linted?.text !== text) {
      linted = { text, findings: lintPolicy(readForEdit(text)) };
    }

    return linted.findings;
  };
  /**
   * The lint findings of a text. Source positions (for line numbers) take a second, slower read: they are only
   * worked out when there is something to point at, and after an edit only once the edit is shown (placeFindings
   * runs when the page is idle); until then the findings show without them.
   */
  const findingsOf = (text: string): Finding[] => {
    const unplaced = unplacedOf(text);

    if (!unplaced.length || Object.keys(readForEdit(text).positions).length) {
      return unplaced;
    }
    if (placed.value?.text === text) {
      return placed.value.findings;
    }

    return edited ? unplaced : positioned(text);
  };
  /**
   * The text whose findings the tab shows: the policy text, caught up once the frame that shows an edit is painted
   * (afterPaint). The edit and its YAML show first; the findings follow a frame later.
   */
  const shownText = shallowRef(settings.policyYaml);
  /** The findings the tab shows (of shownText). */
  const findings = computed<Finding[]>(() => findingsOf(shownText.value));
  /** The errors among the findings of the text as it is now: what blocks a save. */
  const blockingFindings = computed(() => findingsOf(settings.policyYaml).filter((f) => f.severity === 'error'));
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

  /** Works out the findings' source positions for the shown text, if they lack them. */
  function placeFindings(): void {
    const text = shownText.value;
    const unplaced = unplacedOf(text);

    if (unplaced.length && !Object.keys(readForEdit(text).positions).length && placed.value?.text !== text) {
      placed.value = { text, findings: positioned(text) };
    }
  }

  /**
   * After a change of the text, once the frame that shows it is painted: the findings catch up with the text; then,
   * after an edit, once the page is idle, their positions and the text read ahead of the next form edit, so that
   * edit does not parse it again (policy/edit.ts prepareEdit).
   */
  watch(() => settings.policyYaml, () => {
    afterPaint(() => {
      shownText.value = settings.policyYaml;
      if (!edited) {
        return;
      }
      const run = () => {
        placeFindings();
        prepareEdit(settings.policyYaml);
      };

      if (typeof requestIdleCallback === 'function') {
        requestIdleCallback(run, { timeout: 1000 });
      } else {
        setTimeout(run, 100);
      }
    });
  });

  /** An edit of the policy (form, typed YAML, preset): from now on positions wait until the page is idle. */
  function markEdited(): void {
    edited = true;
  }

  /** Replaces the policy from the form: only what changed is edited in the YAML (comments and layout elsewhere stay). */
  function setPolicy(next: Policy): void {
    settings.policyYaml = editPolicyText(settings.policyYaml, policy.value, next);
    policy.value = next;
    markEdited();
  }

  /** Takes YAML typed by hand: the text is kept as typed; the form follows when it decodes. */
  function setYaml(text: string): void {
    settings.policyYaml = text;
    const decoded = load.value.policy;

    if (decoded) {
      policy.value = decoded;
      markEdited();
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
      markEdited();
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
