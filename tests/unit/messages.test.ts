/**
 * Message codes: the English catalogs (policy/messages.ts, delivery/messages.ts, fleet/problems.ts) are what en-us says under
 * clusterAuditLog.msg, the dashboard's ICU formatter makes the same English of them as formatMessage (so the CLI
 * and the UI never drift), and zh-hans has the same arguments and branches for each code.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import IntlMessageFormat from 'intl-messageformat';
import { parse as parseIcu } from 'intl-messageformat-parser';
import {
  AuditSettings, DELIVERY_MESSAGES, plan, readSettings
} from '@pkg/delivery';
import { FLEET_MESSAGES } from '@pkg/fleet';
import {
  Catalog, formatMessage, lintPolicy, Message, MessageParams, POLICY_MESSAGES, readPolicy, renderMessage
} from '@pkg/policy';
import { rke2Cluster } from '../support/clusters';

const CATALOG: Catalog = { ...POLICY_MESSAGES, ...DELIVERY_MESSAGES, ...FLEET_MESSAGES };

type Tree = { [key: string]: unknown };

/** The leaves under clusterAuditLog.msg of a locale, by code. */
function messages(locale: string): Map<string, string> {
  const tree = parseYaml(readFileSync(join(__dirname, '../../l10n', `${ locale }.yaml`), 'utf8')) as Tree;
  const out = new Map<string, string>();
  const walk = (node: unknown, path: string) => {
    if (node !== null && typeof node === 'object') {
      Object.entries(node as Tree).forEach(([k, v]) => walk(v, path ? `${ path }.${ k }` : k));
    } else {
      out.set(path, String(node));
    }
  };

  walk(((tree.clusterAuditLog as Tree).msg), '');

  return out;
}

const en = messages('en-us');
const zh = messages('zh-hans');

interface IcuNode { type: number, value?: string, options?: Record<string, { value: IcuNode[] }> }

/** Every argument of an ICU message at any depth: its kind (0 plain, 5 select, 6 plural) and, for select, its branches. */
function shape(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (nodes: IcuNode[]) => {
    for (const n of nodes) {
      if (n.type === 1 || n.type === 5 || n.type === 6) {
        out[n.value as string] = n.type === 5 ? `select ${ Object.keys(n.options || {}).sort().join(',') }` : n.type === 6 ? 'plural' : 'plain';
        Object.values(n.options || {}).forEach((o) => walk(o.value));
      }
    }
  };

  walk(parseIcu(message) as unknown as IcuNode[]);

  return out;
}

/**
 * Parameters that take each branch of a template once: plain arguments get `<name>`, a select argument each of its
 * keys, a plural one 0, 1 and 2 (one argument varied at a time, the others at their first value).
 */
function samples(template: string): Record<string, string | number>[] {
  const variants = Object.entries(shape(template)).map(([name, kind]): [string, (string | number)[]] => {
    if (kind === 'plural') {
      return [name, [0, 1, 2, 1200]];
    }

    return [name, kind === 'plain' ? [`<${ name }>`] : kind.slice('select '.length).split(',').map((k) => (k === 'other' ? 'something-else' : k))];
  });
  const base = Object.fromEntries(variants.map(([name, values]) => [name, values[0]]));

  return [base, ...variants.flatMap(([name, values]) => values.slice(1).map((v) => ({ ...base, [name]: v })))];
}

describe('formatMessage', () => {
  const catalog: Catalog = {
    plain:  'a {x} b',
    select: '{f, select, webhook {the kubeconfig} other {the policy}} file',
    plural: '{n, plural, =0 {none} one {# file} other {# files}} of {who}',
    quoted: 'the item\'s hash "{h}" (rancher/rke2#4136)',
    nested: 'outer: {inner}',
    list:   'reasons: {reasons}',
  };

  it.each([
    ['plain', { x: 'X' }, 'a X b'],
    ['select', { f: 'webhook' }, 'the kubeconfig file'],
    ['select', { f: 'policy' }, 'the policy file'],
    ['plural', { n: 0, who: 'c1' }, 'none of c1'],
    ['plural', { n: 1, who: 'c1' }, '1 file of c1'],
    ['plural', { n: 1200, who: 'c1' }, '1,200 files of c1'],
    ['quoted', { h: 'abc' }, 'the item\'s hash "abc" (rancher/rke2#4136)'],
    ['nested', { inner: { code: 'plain', params: { x: '1' } } }, 'outer: a 1 b'],
    ['list', { reasons: [{ code: 'plain', params: { x: '1' } }, { code: 'plain', params: { x: '2' } }] }, 'reasons: a 1 b; a 2 b'],
    ['plain', { x: null as unknown as string }, 'a null b'],
  ] as [string, MessageParams, string][])('%s %j', (code, params, text) => {
    expect(formatMessage({ code, params }, catalog)).toBe(text);
  });

  it.each([
    [{ code: 'plain', params: {} }, 'message parameter x is missing'],
    [{ code: 'nope', params: {} }, 'no message nope'],
  ] as [Message, string][])('%j throws %s', (message, error) => {
    expect(() => formatMessage(message, catalog)).toThrow(error);
  });
});

describe('the message catalogs and the l10n files', () => {
  it('en-us says under clusterAuditLog.msg exactly what the English catalogs say', () => {
    expect(Object.fromEntries(en)).toStrictEqual(CATALOG);
  });

  it('zh-hans has the codes of en-us', () => {
    expect([...zh.keys()].sort()).toStrictEqual([...en.keys()].sort());
  });

  it.each(Object.keys(CATALOG))('%s: zh-hans has the arguments and branches of the English (a count may be plain: Chinese has no plural)', (code) => {
    const chinese = shape(zh.get(code) as string);
    const english = Object.fromEntries(Object.entries(shape(CATALOG[code])).map(([name, kind]) => [name, kind === 'plural' && chinese[name] === 'plain' ? 'plain' : kind]));

    expect(chinese).toStrictEqual(english);
  });

  it.each(Object.keys(CATALOG))('%s: the dashboard formats en-us as formatMessage does, zh-hans without fail', (code) => {
    for (const params of samples(CATALOG[code])) {
      const english = new IntlMessageFormat(en.get(code) as string, 'en-us').format(params);

      expect(english).toBe(formatMessage({ code, params }, CATALOG));
      expect(new IntlMessageFormat(zh.get(code) as string, 'zh-hans').format(params)).toMatch(/\S/);
    }
  });

  it('a select argument takes a parameter other than its keys to its "other" branch, as the tests above assume', () => {
    expect(samples('{f, select, webhook {w} other {o}}')).toStrictEqual([{ f: 'something-else' }, { f: 'webhook' }]);
  });
});

describe('renderMessage with the zh-hans l10n (what the tab shows)', () => {
  const zhText = (m: Message) => renderMessage(m, (code, args) => new IntlMessageFormat(zh.get(code) as string, 'zh-hans').format(args) as string);
  const cluster = rke2Cluster('c1');
  const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';
  const only = <T extends Message>(list: T[], code: string): T => {
    expect(list.filter((m) => m.code === code)).toHaveLength(1);

    return list.find((m) => m.code === code) as T;
  };
  const settings = (policyYaml: string, log: AuditSettings['log'] = {}): AuditSettings => ({
    ...readSettings(cluster).settings, enabled: true, method: 'inline', policyYaml, log
  });

  it.each([
    ['a policy kube-apiserver refuses: the frame translated, its field error as kube-apiserver words it', () => only(plan(cluster, [], settings(`${ HEAD }rules:\n- level: Sometimes\n`)).errors, 'delivery.policyRefused'), 'kube-apiserver 会拒绝此策略并无法启动：rules[0].level：Unsupported value: "Sometimes": supported values: "None", "Metadata", "Request", "RequestResponse"'],
    ['a log path RKE2 mishandles', () => only(plan(cluster, [], settings(`${ HEAD }rules:\n- level: Metadata\n`, { path: '/var/log/audit.json' })).warnings, 'delivery.rke2LogPath'), '部分 RKE2 版本无法正确处理不以 audit.log 结尾的审计日志路径（rancher/rke2#4136）'],
    ['a log path with two reasons, joined', () => only(plan(cluster, [], settings(`${ HEAD }rules:\n- level: Metadata\n`, { path: 'a\nb' })).errors, 'delivery.badLogPath'), '日志路径“a\nb”（或用“-”表示标准输出）：必须是绝对路径; 必须是单行，且不含 NUL 字符'],
    ['Secrets logged at Request', () => only(lintPolicy(readPolicy(`${ HEAD }rules:\n- level: Request\n  resources: [{resources: [secrets]}]\n- level: Metadata\n`)), 'lint.sensitiveBody'), 'rules[0] 以 Request 级别记录 secrets：其Secret 数据会被写入审计日志；请在更前面的规则中以 Metadata（或 None）级别记录 secrets（CIS 3.2.2）'],
  ] as [string, () => Message, string][])('%s', (_name, made, text) => {
    expect(zhText(made())).toBe(text);
  });
});
