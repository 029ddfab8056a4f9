/**
 * Engine benchmarks (issue 2): `match` throughput on the real events against the GKE-style preset, next to
 * only JSON.parse-ing the same lines; and check + lint of a generated 1,000-rule policy.
 * Prints numbers; asserts nothing (speed goals are read off these numbers, never enforced by tests).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';
import {
  attributesFromEvent, lintPolicy, newEvaluator, Policy, PolicyRule, policyToYaml, presetPolicy, readPolicy, VERBS
} from '../pkg/cluster-audit-log/policy';

const EVENTS = join(__dirname, '../tests/fixtures/events');
const HOSTILE = join(__dirname, '../tests/fixtures/hostile/policies');

/** Median of `runs` timings of fn, in milliseconds. */
function median(runs: number, fn: () => void): number {
  const times: number[] = [];

  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();

    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);

  return times[Math.floor(times.length / 2)];
}

/** A deterministic policy of `n` varied rules ending in a catch-all, like a large hand-written policy. */
export function generatedPolicy(n: number): Policy {
  const groups = ['', 'apps', 'batch', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'example.com'];
  const levels = ['None', 'Metadata', 'Metadata', 'Request'] as const;
  const rules: PolicyRule[] = [{ level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] }];

  for (let i = 1; i < n - 1; i++) {
    const rule: PolicyRule = { level: levels[i % levels.length] };

    if (i % 7 === 0) {
      rule.nonResourceURLs = [`/custom/${ i }*`];
    } else {
      rule.resources = [{ group: groups[i % groups.length], resources: [`res${ i }`, `res${ i }/status`] }];
      if (i % 3 === 0) {
        rule.namespaces = [`ns-${ i % 50 }`];
      }
    }
    if (i % 5 === 0) {
      rule.users = [`user-${ i }`];
    }
    if (i % 4 === 0) {
      rule.verbs = [VERBS[i % VERBS.length]];
    }
    if (i % 11 === 0) {
      rule.omitStages = ['RequestReceived'];
    }
    rules.push(rule);
  }
  rules.push({ level: 'Metadata' });

  return {
    apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules
  };
}

/** Runs the engine benchmarks and returns rows for the table. */
export function engineBench(): { name: string, value: string }[] {
  const lines = readFileSync(join(EVENTS, 'perfspec-cluster-requests.jsonl'), 'utf8').split('\n').filter((l) => l);
  const gke = presetPolicy('gke') as Policy;
  const evaluator = newEvaluator(gke);
  const parsed = lines.map((l) => JSON.parse(l));
  let sink = 0;

  const parseMs = median(15, () => {
    for (const l of lines) {
      sink += JSON.parse(l).verb.length;
    }
  });
  const matchMs = median(15, () => {
    for (const e of parsed) {
      sink += evaluator.evaluate(attributesFromEvent(e)).level.length;
    }
  });
  const yaml = policyToYaml(generatedPolicy(1000));
  const checkMs = median(15, () => {
    sink += readPolicy(yaml).errors.length;
  });
  const loaded = readPolicy(yaml);
  const lintMs = median(15, () => {
    sink += lintPolicy(loaded).length;
  });
  const bomb = (file: string) => {
    const text = readFileSync(join(HOSTILE, file), 'utf8');
    const ms = median(15, () => {
      sink += readPolicy(text).errors.length;
    });

    return `${ ms.toFixed(1) } ms (${ readPolicy(text).loadable ? 'LOADED' : 'refused' })`;
  };
  const rate = (ms: number) => Math.round(lines.length / (ms / 1000)).toLocaleString('en-US');

  return [
    { name: `events (perfspec, real cluster)`, value: `${ lines.length }` },
    { name: 'JSON.parse only, events/s', value: rate(parseMs) },
    { name: 'match (attributes + evaluate, GKE-style preset), events/s', value: rate(matchMs) },
    { name: 'match cost / JSON.parse cost', value: (matchMs / parseMs).toFixed(2) },
    { name: '1,000-rule policy: size', value: `${ (yaml.length / 1024).toFixed(0) } KiB, ${ loaded.policy?.rules.length } rules, loadable=${ loaded.loadable }` },
    { name: '1,000-rule policy: check (parse YAML + decode + validate), ms', value: checkMs.toFixed(1) },
    { name: '1,000-rule policy: lint, ms', value: lintMs.toFixed(1) },
    { name: '1,000-rule policy: check + lint, ms (goal < 20)', value: (checkMs + lintMs).toFixed(1) },
    { name: 'readPolicy of the 420-byte alias bomb (goal < 100 ms)', value: bomb('billion-laughs.yaml') },
    { name: 'readPolicy of the 7 KB alias-amplified policy (goal < 100 ms)', value: bomb('alias-amplified-7kb.yaml') },
    { name: '(checksum)', value: String(sink % 1000) },
  ];
}
