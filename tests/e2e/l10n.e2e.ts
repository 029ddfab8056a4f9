/**
 * The Audit Log tab in Chinese (issue 11, part 3): the engine returns message codes with parameters and the tab
 * translates them. The language is switched as a user switches it (Preferences -> Language, which keeps the
 * `locale` preference); a lint error and delivery warnings are then shown in zh-hans, and the tab's text holds no
 * English sentence of the engine (kube-apiserver's own messages, quoted, are the only English sentences allowed).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import IntlMessageFormat from 'intl-messageformat';
import { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { DELIVERY_MESSAGES } from '../../pkg/cluster-audit-log/delivery/messages';
import { lintPolicy } from '../../pkg/cluster-audit-log/policy/lint';
import {
  formatMessage, Message, POLICY_MESSAGES, renderMessage
} from '../../pkg/cluster-audit-log/policy/messages';
import { readPolicy } from '../../pkg/cluster-audit-log/policy/read';
import {
  clickSave, enableAudit, launch, login, openAuditTab, openEdit, screenshotTab, sim, typeYaml
} from './browser';
import { DASHBOARD, ROOT } from './servers';

const CLUSTER = 'rke2-custom';

/** Secret bodies in the log: lint's sensitive-body error. */
const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Request
  resources:
  - group: ""
    resources: ["secrets"]
- level: Metadata
`;
const LOG_PATH = '/var/log/kube-audit/audit.json';

/** The delivery warnings the plan gives for LOG_PATH on RKE2 and a max age of 7 days. */
const WARNINGS: Message[] = [
  { code: 'delivery.belowCis', params: { value: '7', minimum: 30 } },
  { code: 'delivery.rke2LogPath', params: {} },
];

type Tree = { [key: string]: unknown };
const ZH_MSG = ((parse(readFileSync(join(ROOT, 'l10n/zh-hans.yaml'), 'utf8')) as Tree).clusterAuditLog as Tree).msg as Tree;

/** A message in zh-hans as the dashboard formats it (its ICU formatter over the extension's l10n). */
function chinese(message: Message): string {
  return renderMessage(message, (code, args) => {
    const template = code.split('.').reduce<unknown>((node, key) => (node as Tree)?.[key], ZH_MSG);

    return new IntlMessageFormat(template as string, 'zh-hans').format(args) as string;
  });
}

const english = (message: Message) => formatMessage(message, { ...POLICY_MESSAGES, ...DELIVERY_MESSAGES });

/**
 * The runs of four or more English words in a text, once kube-apiserver's quoted messages (“...”, "...") are taken
 * out. A word is letters only, so field paths, file paths, flags, YAML keys and numbers break a run.
 */
function englishRuns(text: string): string[] {
  const unquoted = text.replace(/“[^”]*”|"[^"\n]*"/g, ' ');

  return unquoted.match(/\b[A-Za-z]+(?:'[a-z]+)?(?:[ ,]+[A-Za-z]+(?:'[a-z]+)?){3,}\b/g) || [];
}

/** The tab's text as a user reads it, without the policy YAML and the cluster diff (YAML, not sentences). */
function tabText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const tab = document.querySelector('[data-testid="cluster-audit-log-tab"]') as HTMLElement;
    const copy = tab.cloneNode(true) as HTMLElement;

    copy.querySelectorAll('.CodeMirror, .d2h-wrapper, textarea, script, style').forEach((el) => el.remove());
    document.body.appendChild(copy);
    const text = copy.innerText;

    copy.remove();

    return text;
  });
}

/** Preferences -> Language -> 简体中文, as a user switches the dashboard's language (the `locale` preference). */
async function switchToChinese(page: Page): Promise<void> {
  await page.goto(`${ DASHBOARD }/prefs`, { waitUntil: 'domcontentloaded' });
  const selector = page.locator('[data-testid="prefs__languageSelector"]');

  await selector.locator('.vs__dropdown-toggle, .v-select').first().click();
  await page.locator('.vs__dropdown-option', { hasText: '简体中文' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-hans' || /语言/.test(document.querySelector('#prefs-language')?.textContent || ''), undefined, { timeout: 30000 });
}

let browser: Browser;

beforeAll(async() => {
  browser = await launch();
});

afterAll(async() => {
  await browser?.close();
});

beforeEach(async() => {
  await sim.reset();
});

test('11c. zh-hans: a lint error and delivery warnings are shown in Chinese; the tab holds no English sentence of the engine, Save\'s refusal neither', async() => {
  const { page } = await login(browser, 'admin');
  const finding = lintPolicy(readPolicy(POLICY)).find((f) => f.severity === 'error');

  expect(finding?.code).toBe('lint.sensitiveBody');
  const messages = [finding as Message, ...WARNINGS];

  // the heuristic finds each of these English sentences
  expect(messages.map((m) => englishRuns(english(m)).length > 0)).toEqual([true, true, true]);

  await switchToChinese(page);
  await openEdit(page, CLUSTER);
  await openAuditTab(page);
  await enableAudit(page);
  await page.fill('input[data-testid="audit-log-path"]', LOG_PATH);
  await page.fill('input[data-testid="audit-log-maxAge"]', '7');
  await typeYaml(page, POLICY);
  await page.waitForSelector('[data-testid="audit-finding-error-0"]');
  await page.waitForSelector('[data-testid="audit-plan-warnings"]');

  expect(await page.textContent('[data-testid="audit-finding-error-0"]')).toContain(`[sensitive-body] rules[0].level: ${ chinese(finding as Message) }`);
  expect(await page.textContent('[data-testid="audit-log-path-warning"]')).toBe(chinese(WARNINGS[1]));
  const notes = await page.textContent('[data-testid="audit-plan-warnings"]') || '';

  for (const warning of WARNINGS) {
    expect(notes).toContain(chinese(warning));
  }
  const text = await tabText(page);

  await screenshotTab(page, '11c-zh-hans');
  expect(messages.map(english).filter((sentence) => text.includes(sentence))).toEqual([]);
  expect(englishRuns(text)).toEqual([]);

  await clickSave(page);
  const banner = page.locator('.banner.error, .cru__errors, [data-testid="banner-content"]', { hasText: chinese(finding as Message) }).last();

  await banner.waitFor({ timeout: 60000 });
  const refusal = await banner.innerText();

  expect(refusal).toContain(chinese(finding as Message));
  expect(messages.map(english).filter((sentence) => refusal.includes(sentence))).toEqual([]);
  expect(englishRuns(refusal)).toEqual([]);
});
