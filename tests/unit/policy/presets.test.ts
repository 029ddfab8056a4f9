/** Every preset loads, has no lint error, and its written YAML reads back to the same policy. */
import {
  lintPolicy, policyToYaml, presetPolicy, PRESETS, readPolicy
} from '@pkg/policy';

describe('presets', () => {
  it.each(PRESETS.map((p) => [p.id, p] as const))('%s passes check and lint with no error', (_id, preset) => {
    const loaded = readPolicy(policyToYaml(preset.policy));

    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.loadable).toBe(true);
    expect(lintPolicy(loaded).filter((f) => f.severity === 'error')).toEqual([]);
    expect(loaded.policy).toEqual(preset.policy);
  });

  it('the required presets are there', () => {
    expect(PRESETS.map((p) => p.id)).toEqual(expect.arrayContaining([
      'cis-minimal', 'k8s-docs', 'gke', 'rke1-default', 'openshift-default', 'openshift-write-request-bodies', 'openshift-all-request-bodies',
    ]));
  });

  it('presetPolicy returns a copy that can be edited without touching the preset', () => {
    const copy = presetPolicy('cis-minimal');

    copy?.rules.push({ level: 'None' });
    expect(presetPolicy('cis-minimal')?.rules).toHaveLength(2);
    expect(presetPolicy('nope')).toBeUndefined();
  });
});
