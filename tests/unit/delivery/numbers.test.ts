/**
 * The log rotation numbers: one rule (parseWholeNumber), applied by the plan to what it writes and by
 * readSettings to what it reads, so any whole number up to Go's int survives the round trip digit for digit.
 */
import fc from 'fast-check';
import {
  AuditSettings, compareDigits, getPath, GO_INT_MAX, JSON_INT_MAX, KubeObject, LogSettings, parseWholeNumber, PATHS, plan, readSettings
} from '@pkg/delivery';
import { policyToYaml, presetPolicy, Policy } from '@pkg/policy';
import { k3sCluster, rke1Cluster, rke2Cluster } from '../../support/clusters';
import { english } from '../../support/english';

const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const TWENTY_TWO = '1000000000000000000000';

describe('parseWholeNumber', () => {
  it.each([
    ['30', 'ok', '30'],
    ['0', 'ok', '0'],
    ['007', 'ok', '7'],
    ['000', 'ok', '0'],
    ['9007199254740993', 'ok', '9007199254740993'],
    ['9223372036854775807', 'ok', '9223372036854775807'],
    ['09223372036854775807', 'ok', '9223372036854775807'],
    ['9223372036854775808', 'tooLarge', '"9223372036854775808" is too large: at most 9223372036854775807'],
    [TWENTY_TWO, 'tooLarge', `"${ TWENTY_TWO }" is too large: at most 9223372036854775807`],
    ['-1', 'negative', '"-1" is negative: must be 0 or more'],
    ['1e3', 'notDigits', '"1e3" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    ['1.5', 'notDigits', '"1.5" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    [' 30', 'notDigits', '" 30" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    ['30 ', 'notDigits', '"30 " is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    ['+30', 'notDigits', '"+30" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    ['0x1e', 'notDigits', '"0x1e" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    ['1_000', 'notDigits', '"1_000" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    ['３０', 'notDigits', '"３０" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    ['', 'empty', 'must be a whole number; it is empty'],
  ])('%j -> %s', (text, outcome, detail) => {
    const read = parseWholeNumber(text);

    expect(read.ok ? read : english(read)).toEqual(outcome === 'ok' ? { ok: true, digits: detail } : { ok: false, reason: outcome, message: detail });
  });

  it.each([
    ['9007199254740991', true],
    ['9007199254740992', false],
  ])('with RKE1\'s JSON limit: %s -> %s', (text, ok) => {
    expect(parseWholeNumber(text, JSON_INT_MAX).ok).toBe(ok);
  });

  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['42', '42', 0],
    ['9223372036854775806', GO_INT_MAX, -1],
  ])('compareDigits(%s, %s) has the sign of %d', (a, b, sign) => {
    expect(Math.sign(compareDigits(a, b))).toBe(sign);
  });
});

function settingsWith(cluster: KubeObject, method: AuditSettings['method'], log: LogSettings): AuditSettings {
  return {
    ...readSettings(cluster).settings, enabled: true, method, policyYaml: CIS, log
  };
}

const argsOf = (cluster: KubeObject) => (getPath(cluster, PATHS.apiserverArgs) as string[] | undefined) || [];

describe('the plan writes plain decimal digits and reads them back exactly', () => {
  it.each([
    ['30', 'audit-log-maxage=30'],
    ['007', 'audit-log-maxage=7'],
    ['9007199254740993', 'audit-log-maxage=9007199254740993'],
    ['9223372036854775807', 'audit-log-maxage=9223372036854775807'],
  ])('max age %j is written as %s', (maxAge, arg) => {
    const cluster = k3sCluster('c1');
    const p = plan(cluster, [], settingsWith(cluster, 'secret', { maxAge }));

    expect(p.errors).toEqual([]);
    expect(argsOf(p.cluster).filter((a) => a.startsWith('audit-log-maxage'))).toEqual([arg]);
    expect(readSettings(p.cluster, p.objects.map((o) => o.after as KubeObject)).settings.log.maxAge).toBe(arg.split('=')[1]);
  });

  it('any whole number up to Go\'s int round-trips through the args digit for digit', () => {
    fc.assert(fc.property(fc.bigInt({ min: BigInt(0), max: BigInt(GO_INT_MAX) }), fc.constantFrom('maxAge', 'maxBackup', 'maxSize'), (n, field) => {
      const cluster = rke2Cluster('c1');
      const p = plan(cluster, [], settingsWith(cluster, 'inline', { [field]: n.toString() }));
      const back = readSettings(p.cluster).settings.log;

      return p.errors.length === 0 && back[field as keyof LogSettings] === n.toString() && !argsOf(p.cluster).some((a) => /e\+|\.\d/.test(a));
    }), { numRuns: 300, seed: 20261202 });
  });

  it('RKE1: numbers up to 2^53 - 1 are written as JSON numbers and read back', () => {
    const cluster = rke1Cluster();
    const p = plan(cluster, [], settingsWith(cluster, 'rke1', {
      ...readSettings(cluster).settings.log, maxAge: JSON_INT_MAX, maxBackup: '007'
    }));

    expect(p.errors).toEqual([]);
    expect(getPath(p.cluster, PATHS.rke1AuditLog)).toMatchObject({ configuration: { maxAge: Number.MAX_SAFE_INTEGER, maxBackup: 7 } });
    expect(readSettings(p.cluster).settings.log).toMatchObject({ maxAge: JSON_INT_MAX, maxBackup: '7' });
  });
});

describe('the plan blocks a number it cannot write exactly, at its field', () => {
  it.each([
    ['k3s', 'maxAge', TWENTY_TWO, `audit-log-maxage: "${ TWENTY_TWO }" is too large: at most 9223372036854775807 (kube-apiserver reads it into a Go int)`],
    ['k3s', 'maxBackup', '-1', 'audit-log-maxbackup: "-1" is negative: must be 0 or more'],
    ['rke2', 'maxSize', '1e3', 'audit-log-maxsize: "1e3" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
    ['rke2', 'maxAge', '', 'audit-log-maxage: must be a whole number; it is empty'],
    ['rke1', 'maxAge', '9007199254740992', 'maxAge: "9007199254740992" is too large: at most 9007199254740991 (RKE1 keeps it as a JSON number, which the dashboard holds exactly only up to there)'],
    ['rke1', 'maxSize', '1.5', 'maxSize: "1.5" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)'],
  ])('%s %s = %j', (distro, field, value, message) => {
    const cluster = distro === 'rke1' ? rke1Cluster() : distro === 'k3s' ? k3sCluster('c1') : rke2Cluster('c1');
    const method = distro === 'rke1' ? 'rke1' : distro === 'k3s' ? 'secret' : 'inline';
    const p = plan(cluster, [], settingsWith(cluster, method, { ...readSettings(cluster).settings.log, [field]: value }));

    expect(p.errors.map(english)).toEqual([{ path: `log.${ field }`, message, severity: 'error' }]);
    expect(p.clusterPaths).toEqual([]);
    expect(p.objects).toEqual([]);
  });
});

describe('readSettings keeps what it cannot read exactly, and says why', () => {
  it.each([
    ['audit-log-maxage=1e+21', 'audit-log-maxage=1e+21: not a whole number kube-apiserver accepts: "1e+21" is not a whole number'],
    ['audit-log-maxage=010', 'audit-log-maxage=010: kube-apiserver reads a leading 0 as octal; write it as plain decimal digits; kept as typed'],
    [`audit-log-maxsize=${ TWENTY_TWO }`, `audit-log-maxsize=${ TWENTY_TWO }: not a whole number kube-apiserver accepts: "${ TWENTY_TWO }" is too large`],
  ])('%s', (arg, message) => {
    const cluster = rke2Cluster('c1');

    (cluster.spec as { rkeConfig: { machineGlobalConfig: Record<string, unknown> } }).rkeConfig.machineGlobalConfig['kube-apiserver-arg'] = [arg];
    const read = readSettings(cluster);

    expect(read.problems.map((p) => p.message)).toContainEqual(expect.stringContaining(message));
    expect(read.settings.log).toEqual({});
  });

  it.each([
    [1e21, '1e+21', '"1e+21" is not a whole number'],
    [-5, '-5', '"-5" is negative'],
    [2 ** 53, '9007199254740992', 'is too large: at most 9007199254740991'],
  ])('RKE1 maxAge %p is shown as %j, with a problem', (stored, shown, message) => {
    const read = readSettings(rke1Cluster({ enabled: true, configuration: { maxAge: stored } }));

    expect(read.settings.log.maxAge).toBe(shown);
    expect(read.problems).toContainEqual(expect.objectContaining({ path: 'spec.rancherKubernetesEngineConfig.services.kubeApi.auditLog.configuration.maxAge', message: expect.stringContaining(message), severity: 'error' }));
  });
});
