/**
 * Messages as codes with parameters: the engine returns `{ code, params }`; the UI translates the code from its
 * l10n files (`clusterAuditLog.msg.<code>`), the CLI prints the English built here from the same code. Each layer
 * keeps one English catalog (this one for policy/, delivery/messages.ts for delivery/); the templates are the
 * ICU subset the dashboard's i18n reads: `{name}`, `{name, select, a {...} other {...}}` and
 * `{name, plural, =0 {...} one {...} other {# ...}}`.
 *
 * What kube-apiserver, apimachinery, client-go or go-yaml say themselves is never rephrased: it is a parameter
 * (`kube`, or `text` of the `kube.verbatim` code), shown as it is so users can search for it.
 */

/** A parameter: a value, another message (translated in turn), or a list of messages (joined by LIST_SEPARATOR). */
export type MessageParam = string | number | Message | Message[];

/** The parameters of a message, by the names its template uses. */
export type MessageParams = Record<string, MessageParam>;

/** A message as the engine returns it: a code of a catalog and its parameters. */
export interface Message {
  code: string;
  params: MessageParams;
}

/** A message with its English text, as Diagnostic, Finding and Problem carry it. */
export interface Coded extends Message {
  /** The English text of code + params (what the CLI prints). */
  message: string;
}

/** How a list of messages given as one parameter is joined. */
export const LIST_SEPARATOR = '; ';

/** The code of a message that is someone else's text, shown as it is (kube-apiserver, apimachinery, go-yaml...). */
export const VERBATIM = 'kube.verbatim';

/** A code's English template, by code. */
export type Catalog = Readonly<Record<string, string>>;

/** The English catalog of policy/: lint findings and what read.ts adds to kube-apiserver's own load errors. */
export const POLICY_MESSAGES = {
  [VERBATIM]:                '{text}',
  'policy.unknownField':     '{kube}: kube-apiserver drops it (lenient decoding)',
  'policy.unknownRuleField': '{kube}: kube-apiserver drops it (lenient decoding); "{field}" belongs to the rule, not to a resources entry, so as written the rule ignores it',
  'policy.unknownFieldCase': '{kube}: kube-apiserver drops it (lenient decoding); field names are case-sensitive: did you mean "{near}"?',
  'policy.duplicateField':   '{kube}: kube-apiserver keeps the last value',
  'policy.duplicateKey':     '{kube}; kube-apiserver keeps the last value',
  'policy.moreDocuments':    'the file holds more than one YAML document: kube-apiserver reads only the first',
  'policy.noApiVersion':     '{kube}: apiVersion is missing; set "apiVersion: {apiVersion}" and "kind: {kind}"',
  'policy.unregistered':     '{kube}; set "apiVersion: {apiVersion}" and "kind: {kind}"',
  'policy.removedVersion':   '{kube}; audit.k8s.io/v1alpha1 and v1beta1 were removed in Kubernetes 1.24; change apiVersion to {apiVersion} (the fields are the same)',
  'policy.otherManifest':    '{kube}; this is a {manifest} manifest, not an audit policy: check the policy stored in its data instead',
  'policy.notMapping':       '{kube}: an audit policy is a mapping with apiVersion, kind and rules',
  'lint.sensitiveBody':      '{rule} logs {what} at {level}: their {resource, select, secrets {Secret data} configmaps {ConfigMap data} other {bearer tokens}} would be written to the audit log; log {what} at Metadata (or None) in an earlier rule (CIS 3.2.2)',
  'lint.shadowed':           '{rule} can never match: {earlier} matches every request it would, and the first matching rule wins',
  'lint.noCatchAll':         'the policy does not end with a catch-all rule: requests no rule matches are not logged at all (level None); end it with a rule such as "- level: Metadata"',
  'lint.cisNoRule':          '{request} requests are not audited (no rule matches it); CIS 3.2.2 asks that they be logged at Metadata or above',
  'lint.cisAtNone':          '{request} requests are not audited ({rule} logs it at None); CIS 3.2.2 asks that they be logged at Metadata or above',
} as const satisfies Catalog;

/** A code of the policy catalog. */
export type PolicyCode = keyof typeof POLICY_MESSAGES;

/** Someone else's text (kube-apiserver's, go-yaml's...) as a message shown as it is. */
export function verbatim(text: string): Coded {
  return {
    code: VERBATIM, params: { text }, message: text
  };
}

/** Just the code and parameters of a message (to nest it in another one without its English text or other fields). */
export function messageOf(message: Message): Message {
  return { code: message.code, params: message.params };
}

/** English numbers as the dashboard's ICU formatter writes them (grouped digits). */
const NUMBER = new Intl.NumberFormat('en-US');

interface Scan { text: string, at: number }

/** The parameters of a template once nested messages are rendered: values only. */
export type TemplateArgs = Record<string, string | number>;

/** Reads up to (not past) one of `stops`; `{...}` arguments inside are rendered. */
function renderUntil(scan: Scan, params: TemplateArgs, plural: number | null, stops: string): string {
  let out = '';

  while (scan.at < scan.text.length && !stops.includes(scan.text[scan.at])) {
    const c = scan.text[scan.at];

    if (c === '{') {
      out += renderArgument(scan, params);
    } else if (c === '#' && plural !== null) {
      out += NUMBER.format(plural);
      scan.at++;
    } else {
      out += c;
      scan.at++;
    }
  }

  return out;
}

function consume(scan: Scan, char: string): void {
  if (scan.text[scan.at] !== char) {
    throw new Error(`message template ${ JSON.stringify(scan.text) }: "${ char }" expected at ${ scan.at }`);
  }
  scan.at++;
}

/** `{name}`, `{name, select, ...}` or `{name, plural, ...}` at scan.at. */
function renderArgument(scan: Scan, params: TemplateArgs): string {
  consume(scan, '{');
  const head = /^\s*([\w.-]+)\s*(?:,\s*(select|plural)\s*,)?\s*/.exec(scan.text.slice(scan.at));

  if (!head) {
    throw new Error(`message template ${ JSON.stringify(scan.text) }: no argument name at ${ scan.at }`);
  }
  scan.at += head[0].length;
  const [, name, type] = head;
  const value = params[name];

  if (!type) {
    consume(scan, '}');
    if (value === undefined) {
      throw new Error(`message parameter ${ name } is missing`);
    }

    return typeof value === 'number' ? NUMBER.format(value) : value;
  }
  const branches = new Map<string, number>();

  while (scan.text[scan.at] !== '}') {
    const selector = /^\s*(=?[\w-]+)\s*/.exec(scan.text.slice(scan.at));

    if (!selector) {
      throw new Error(`message template ${ JSON.stringify(scan.text) }: no selector at ${ scan.at }`);
    }
    scan.at += selector[0].length;
    branches.set(selector[1], scan.at);
    skipBranch(scan);
    scan.at += /^\s*/.exec(scan.text.slice(scan.at))?.[0].length ?? 0;
  }
  consume(scan, '}');
  const end = scan.at;
  const chosen = type === 'plural' ? pluralBranch(branches, Number(value)) : branches.get(String(value)) ?? branches.get('other');

  if (chosen === undefined) {
    throw new Error(`message template ${ JSON.stringify(scan.text) }: no branch for ${ name }=${ String(value) }`);
  }
  const inner: Scan = { text: scan.text, at: chosen + 1 };
  const text = renderUntil(inner, params, type === 'plural' ? Number(value) : null, '}');

  scan.at = end;

  return text;
}

/** English plural rules: an exact `=n` first, then `one` for 1, else `other`. */
function pluralBranch(branches: Map<string, number>, n: number): number | undefined {
  return branches.get(`=${ n }`) ?? (n === 1 ? branches.get('one') : undefined) ?? branches.get('other');
}

/** Moves past a `{...}` branch body (nested braces included). */
function skipBranch(scan: Scan): void {
  consume(scan, '{');
  for (let depth = 1; depth > 0; scan.at++) {
    if (scan.at >= scan.text.length) {
      throw new Error(`message template ${ JSON.stringify(scan.text) }: unclosed branch`);
    }
    depth += scan.text[scan.at] === '{' ? 1 : scan.text[scan.at] === '}' ? -1 : 0;
  }
}

/** Is a parameter a message (or a list of them)? Anything else is a value, written as JavaScript writes it into text. */
export function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).code === 'string' && typeof (value as Message).params === 'object';
}

/** Fills an English template (this module's ICU subset) with values. */
export function fillTemplate(template: string, args: TemplateArgs): string {
  return renderUntil({ text: template, at: 0 }, args, null, '');
}

/** Makes the text of one code from its values: the English catalogs' (formatMessage) or the UI's l10n (useT.ts). */
export type CodeTranslator = (code: string, args: TemplateArgs) => string;

/**
 * A message's text by a translator of codes: a parameter that is a message (or a list of them, joined by
 * LIST_SEPARATOR) is made first by the same translator; a value is passed on as it is (a number stays a number for
 * the template's plural or formatting; anything else is written as JavaScript writes it into text).
 */
export function renderMessage(message: Message, translate: CodeTranslator): string {
  const arg = (value: MessageParam): string | number => {
    if (Array.isArray(value)) {
      return value.map((m) => (isMessage(m) ? renderMessage(m, translate) : String(m))).join(LIST_SEPARATOR);
    }

    return isMessage(value) ? renderMessage(value, translate) : typeof value === 'number' ? value : String(value);
  };

  return translate(message.code, Object.fromEntries(Object.entries(message.params).map(([name, value]) => [name, arg(value)])));
}

/** The English text of a message from a catalog (nested messages too). Throws on a code the catalog lacks. */
export function formatMessage(message: Message, catalog: Catalog = POLICY_MESSAGES): string {
  return renderMessage(message, (code, args) => {
    const template = catalog[code];

    if (template === undefined) {
      throw new Error(`no message ${ code }`);
    }

    return fillTemplate(template, args);
  });
}

/** A policy message with its English text. */
export function policyMessage(code: PolicyCode, params: MessageParams = {}): Coded {
  return {
    code, params, message: formatMessage({ code, params })
  };
}
