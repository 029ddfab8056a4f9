/**
 * The volume estimate part: samples (bundled, pasted, uploaded), the figures it shows against the engine's
 * (policy/estimate.ts + delivery/retention.ts), the rotation in effect and the warnings. The Web Worker is
 * swapped for the same estimate run in the test's thread (the runner module is the only seam).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { flushPromises, mount, VueWrapper } from '@vue/test-utils';
import VolumeEstimate from '@pkg/components/parts/VolumeEstimate.vue';
import {
  DISTROS, KubeObject, LogDefaults, LogSettings
} from '@pkg/delivery';
import { effectiveRotation, volumeReport } from '@pkg/delivery/retention';
import { estimate, Policy, presetPolicy } from '@pkg/policy';
import { createI18nStore } from '../support/store';

const PERFSPEC = join(__dirname, '../fixtures/events/perfspec-cluster-requests.jsonl');

/** What the swapped runner was asked: how many estimates ran, and whether a run fails. */
const mockRunner = { runs: 0, fail: '' };

jest.mock('@pkg/components/volume/runner', () => {
  const { estimate: run } = jest.requireActual('@pkg/policy/estimate');
  const { readFileSync: read } = jest.requireActual('fs');
  const { join: joinPath } = jest.requireActual('path');

  return {
    createEstimateRunner: () => {
      let sample = '';

      return {
        setSample: (s: string | ArrayBuffer) => {
          sample = typeof s === 'string' ? s : Buffer.from(s).toString('utf8');
        },
        run: async(policy: Policy) => {
          mockRunner.runs++;
          if (mockRunner.fail) {
            throw new Error(mockRunner.fail);
          }

          return { estimate: run(policy, sample), ms: 7 };
        },
        dispose: () => undefined,
      };
    },
    loadBundledSample: async() => {
      const bytes: Buffer = read(joinPath(__dirname, '../fixtures/events/perfspec-cluster-requests.jsonl'));

      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
  };
});

const DEFAULTS = DISTROS.rke2.logDefaults;
const CLUSTER = (version: string): KubeObject => ({ metadata: { name: 'c' }, spec: { kubernetesVersion: version } });

interface Props { policy: Policy, log: LogSettings, defaults: LogDefaults, unset: 'default' | 'unset', cluster: KubeObject | null }

function mountPart(props: Partial<Props> = {}, locale = 'en-us'): VueWrapper {
  return mount(VolumeEstimate, {
    props: {
      policy: presetPolicy('gke')!, log: {}, defaults: DEFAULTS, unset: 'default', cluster: CLUSTER('v1.31.4+rke2r1'), ...props
    },
    global: { plugins: [createI18nStore(locale)] },
  });
}

const testid = (w: VueWrapper, id: string) => w.find(`[data-testid="${ id }"]`);

/** Waits until the part shows a result, an error or "no events" (the swapped runner answers in a few ticks). */
async function settle(w: VueWrapper): Promise<void> {
  for (let i = 0; i < 20 && !['audit-volume-timing', 'audit-volume-error', 'audit-volume-no-events'].some((id) => testid(w, id).exists()); i++) {
    await flushPromises();
  }
}

/** The figures the part shows, from its data attributes. */
function shown(w: VueWrapper) {
  const perDay = testid(w, 'audit-volume-per-day');
  const days = testid(w, 'audit-volume-days');

  return {
    perDay:   perDay.exists() ? { events: Number(perDay.attributes('data-events')), bytes: Number(perDay.attributes('data-bytes')) } : null,
    daysKept: days.exists() ? Number(days.attributes('data-value')) : null,
    rules:    w.findAll('[data-testid^="audit-volume-rule-"]').map((r) => ({
      testid: r.attributes('data-testid'), matched: Number(r.attributes('data-matched')), events: Number(r.attributes('data-events')), bytes: Number(r.attributes('data-bytes'))
    })),
    warnings: w.findAll('[data-testid^="audit-volume-warning-"]').map((b) => b.attributes('data-testid')),
  };
}

/** What the part should show: the engine's report for the same policy, sample and log settings. */
function expected(policy: Policy, sample: string, log: LogSettings, unset: 'default' | 'unset' = 'default', apiserver: 'before-1.36' | '1.36+' = 'before-1.36') {
  const report = volumeReport(estimate(policy, sample), effectiveRotation(log, DEFAULTS, unset, apiserver));

  return {
    perDay:   report.perDay,
    daysKept: report.retention ? report.retention.daysKept : null,
    rules:    report.rules.map((r) => ({
      testid: `audit-volume-rule-${ r.rule === null ? 'none' : r.rule }`, matched: r.matched, events: r.events, bytes: r.bytes
    })),
    warnings: (report.retention?.warnings || []).map((x) => `audit-volume-warning-${ x.id }`),
  };
}

beforeEach(() => {
  mockRunner.runs = 0;
  mockRunner.fail = '';
});

describe('the bundled sample', () => {
  const sample = readFileSync(PERFSPEC, 'utf8');

  it('shows where it comes from, per rule, per day and the days kept: the engine\'s figures', async() => {
    const w = mountPart();

    await testid(w, 'audit-volume-bundled').trigger('click');
    await settle(w);

    expect(testid(w, 'audit-volume-bundled-source').text()).toContain('PerfSPEC dataset, Kermabon-Bobinnec et al., IEEE TDSC 2024, CC BY 4.0');
    expect(testid(w, 'audit-volume-sample').text()).toContain('16,563 events over 4.1 minutes, from 2023-01-27T18:28:08.127428Z to 2023-01-27T18:32:12.473826Z');
    expect(shown(w)).toEqual(expected(presetPolicy('gke')!, sample, {}));
    expect(shown(w).warnings).toEqual(['audit-volume-warning-deletes-before-max-age', 'audit-volume-warning-below-cis']);
    expect(testid(w, 'audit-volume-rotation').text()).toContain('max size 100 MB, max backups 10, max age 30 days');
    expect(testid(w, 'audit-volume-timing').attributes('data-ms')).toBe('7');
  });

  it.each([
    ['a larger max size: kept 30 days, no warning', { maxSize: '10000' }, []],
    ['max backups 0 and max age 0: unbounded', { maxBackup: '0', maxAge: '0' }, ['audit-volume-warning-unbounded']],
    ['a max size Go\'s int64 cannot hold in bytes', { maxSize: '9223372036854775807' }, ['audit-volume-warning-writes-fail']],
  ])('log settings change the figures at once, without estimating again: %s', async(_name, log, warnings) => {
    const w = mountPart();

    await testid(w, 'audit-volume-bundled').trigger('click');
    await settle(w);
    await w.setProps({ log });

    expect(shown(w)).toEqual(expected(presetPolicy('gke')!, sample, log));
    expect(shown(w).warnings).toEqual(warnings);
    expect(mockRunner.runs).toBe(1);
  });

  it('a policy change estimates again (once, after typing stops)', async() => {
    const w = mountPart();

    await testid(w, 'audit-volume-bundled').trigger('click');
    await settle(w);
    await w.setProps({ policy: presetPolicy('k8s-docs')! });
    await w.setProps({ policy: presetPolicy('cis-minimal')! });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await flushPromises();
    await settle(w);

    expect(mockRunner.runs).toBe(2);
    expect(shown(w)).toEqual(expected(presetPolicy('cis-minimal')!, sample, {}));
  });
});

describe('pasted and uploaded samples', () => {
  const line = (ts: unknown, verb = 'get') => JSON.stringify({
    verb, requestURI: '/api/v1/namespaces/a/pods', objectRef: { resource: 'pods', namespace: 'a', apiVersion: 'v1' }, stage: 'ResponseComplete', requestReceivedTimestamp: ts
  });

  async function paste(w: VueWrapper, text: string): Promise<void> {
    await testid(w, 'audit-volume-paste-open').trigger('click');
    await testid(w, 'audit-volume-paste-text').setValue(text);
    await testid(w, 'audit-volume-paste-run').trigger('click');
    await settle(w);
  }

  it('a pasted sample over one minute', async() => {
    const text = [line('2024-01-01T00:00:00Z'), 'not json', line('2024-01-01T00:01:00Z', 'list')].join('\n');
    const w = mountPart();

    await paste(w, text);

    expect(shown(w)).toEqual(expected(presetPolicy('gke')!, text, {}));
    expect(testid(w, 'audit-volume-skipped').text()).toBe('1 lines are not audit events and were skipped (lines 2).');
  });

  it.each([
    ['one event', [line('2024-01-01T00:00:00Z')], 'all carry the same requestReceivedTimestamp'],
    ['no readable timestamp', [line('yesterday'), line(undefined)], 'No event has a readable requestReceivedTimestamp'],
  ])('%s: no rate per day, no days kept', async(_name, lines, message) => {
    const w = mountPart();

    await paste(w, lines.join('\n'));

    expect(testid(w, 'audit-volume-no-rate').text()).toContain(message);
    expect(testid(w, 'audit-volume-days').exists()).toBe(false);
    expect(shown(w).rules).toEqual(expected(presetPolicy('gke')!, lines.join('\n'), {}).rules);
  });

  it('text that holds no audit event', async() => {
    const w = mountPart();

    await paste(w, 'hello\nworld');

    expect(testid(w, 'audit-volume-no-events').exists()).toBe(true);
    expect(testid(w, 'audit-volume-results').exists()).toBe(false);
  });

  it('an uploaded file, read as bytes', async() => {
    const text = [line('2024-01-01T00:00:00Z'), line('2024-01-01T00:00:10Z', 'delete')].join('\n');
    const w = mountPart();
    const input = testid(w, 'audit-volume-file');
    const bytes = new TextEncoder().encode(text);

    Object.defineProperty(input.element, 'files', { value: [{ name: 'api.log', arrayBuffer: async() => bytes.buffer }], configurable: true });
    await input.trigger('change');
    await settle(w);

    expect(testid(w, 'audit-volume-sample').text()).toContain('Sample api.log: 2 events over 10.0 seconds');
    expect(shown(w)).toEqual(expected(presetPolicy('gke')!, text, {}));
  });
});

describe('the rotation in effect', () => {
  const text = ['2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z'].map((ts) => JSON.stringify({
    verb: 'get', requestURI: '/api/v1/namespaces/a/pods', objectRef: { resource: 'pods', namespace: 'a', apiVersion: 'v1' }, requestReceivedTimestamp: ts
  })).join('\n');

  async function pasted(props: Partial<Props>): Promise<VueWrapper> {
    const w = mountPart(props);

    await testid(w, 'audit-volume-paste-open').trigger('click');
    await testid(w, 'audit-volume-paste-text').setValue(text);
    await testid(w, 'audit-volume-paste-run').trigger('click');
    await settle(w);

    return w;
  }

  it.each([
    ['fields left empty that stay unset, Kubernetes 1.31: kube-apiserver keeps every file', 'v1.31.4+rke2r1', 'before-1.36', 'max size 0 MB, max backups 0, max age 0 days (fields left empty: kube-apiserver\'s own defaults, Kubernetes before 1.36)', ['audit-volume-warning-unbounded']],
    ['fields left empty that stay unset, Kubernetes 1.36: its own 100/100/366; 101 files fill before 366 days', 'v1.36.1+k3s1', '1.36+', 'max size 100 MB, max backups 100, max age 366 days (fields left empty: kube-apiserver\'s own defaults, Kubernetes 1.36+)', ['audit-volume-warning-deletes-before-max-age']],
  ] as const)('%s', async(_name, version, apiserver, rotation, warnings) => {
    const w = await pasted({ unset: 'unset', cluster: CLUSTER(version) });

    expect(testid(w, 'audit-volume-rotation').text().replace(/\s+/g, ' ')).toBe(rotation);
    expect(shown(w)).toEqual(expected(presetPolicy('gke')!, text, {}, 'unset', apiserver));
    expect(shown(w).warnings).toEqual(warnings);
  });

  it('a rotation number that is not a whole number: the rate, no days kept', async() => {
    const w = await pasted({ log: { maxSize: '1e3' } });

    expect(testid(w, 'audit-volume-per-day').exists()).toBe(true);
    expect(testid(w, 'audit-volume-rotation-invalid').exists()).toBe(true);
  });

  it('the legacy format: a note that sizes are of JSON lines', async() => {
    const w = await pasted({ log: { format: 'legacy' } });

    expect(testid(w, 'audit-volume-notes').text()).toContain('The legacy format writes one line of text per event');
  });
});

describe('failures and locales', () => {
  it('an estimate that fails says why', async() => {
    mockRunner.fail = 'the estimate worker stopped';
    const w = mountPart();

    await testid(w, 'audit-volume-bundled').trigger('click');
    await settle(w);

    expect(testid(w, 'audit-volume-error').text()).toBe('The estimate failed: the estimate worker stopped');
  });

  it('zh-hans: every text is translated', async() => {
    const w = mountPart({}, 'zh-hans');

    await testid(w, 'audit-volume-bundled').trigger('click');
    await settle(w);

    expect(testid(w, 'audit-volume').text()).not.toMatch(/clusterAuditLog\./);
    expect(testid(w, 'audit-volume-sample').text()).toContain('16,563 个事件');
  });
});
