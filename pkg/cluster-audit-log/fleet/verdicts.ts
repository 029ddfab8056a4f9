/**
 * What the fleet says about each distinct policy text, computed once: readPolicy per distinct text, lintPolicy
 * per distinct fingerprint (a fleet of hundreds of clusters has a handful of policies). One instance lives for
 * one fleetStatus call.
 */
import { lintPolicy } from '../policy/lint';
import { readPolicy } from '../policy/read';
import { policyFingerprint, presetOf } from './fingerprint';
import type { FindingCounts } from './types';

/** A policy's fingerprint, the preset it equals, and its lint findings by severity. */
export interface PolicyVerdict {
  fingerprint: string;
  preset: string | null;
  findings: FindingCounts;
}

/** The cache: ask `of(text)` as often as needed. */
export class PolicyVerdicts {
  private byText = new Map<string, PolicyVerdict>();
  private byFingerprint = new Map<string, FindingCounts>();
  private lintCount = 0;

  /** How many times lintPolicy ran (once per distinct fingerprint). */
  get lintRuns(): number {
    return this.lintCount;
  }

  /** The verdict on a policy text (YAML or JSON, as kube-apiserver reads it). */
  of(text: string): PolicyVerdict {
    const known = this.byText.get(text);

    if (known) {
      return known;
    }
    const loaded = readPolicy(text);
    const fingerprint = policyFingerprint(loaded, text);
    let findings = this.byFingerprint.get(fingerprint);

    if (!findings) {
      const all = lintPolicy(loaded);

      this.lintCount++;
      findings = { error: all.filter((f) => f.severity === 'error').length, warning: all.filter((f) => f.severity === 'warning').length };
      this.byFingerprint.set(fingerprint, findings);
    }
    const verdict: PolicyVerdict = {
      fingerprint, preset: presetOf(fingerprint), findings
    };

    this.byText.set(text, verdict);

    return verdict;
  }
}
