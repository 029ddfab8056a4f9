/**
 * The name checks Kubernetes and Rancher apply to what the plan writes, with apimachinery's own messages
 * (k8s.io/apimachinery pkg/util/validation/validation.go), so users can search for what they see.
 * Each check returns the list of problems; an empty list means valid. The node file path check is this
 * extension's own: its problems are message codes (messages.ts).
 */
import type { Message } from '../policy/messages';
import { deliveryMessage, deliveryText } from './messages';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${ DNS1123_LABEL_FMT }(\\.${ DNS1123_LABEL_FMT })*`;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${ QUALIFIED_NAME_FMT })?`;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';

/** DNS1123LabelMaxLength, DNS1123SubdomainMaxLength, qualifiedNameMaxLength / LabelValueMaxLength. */
export const NAME_LIMITS = {
  dns1123Label: 63, dns1123Subdomain: 253, qualifiedName: 63, labelValue: 63
} as const;

const whole = (fmt: string) => new RegExp(`^(?:${ fmt })$`);
const DNS1123_LABEL = whole(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN = whole(DNS1123_SUBDOMAIN_FMT);
const QUALIFIED_NAME = whole(QUALIFIED_NAME_FMT);
const LABEL_VALUE = whole(LABEL_VALUE_FMT);
const CONFIG_MAP_KEY = whole(CONFIG_MAP_KEY_FMT);

/** validation.go MaxLenError. */
function maxLenError(length: number): string {
  return `must be no more than ${ length } characters`;
}

/** validation.go RegexError: the message, the examples, and the regex. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const eg = examples.map((e) => `'${ e }', `).join(' or ');

  return `${ msg } (e.g. ${ eg }regex used for validation is '${ fmt }')`;
}

/** Go's len(): the length in UTF-8 bytes. */
function byteLength(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** IsDNS1123Label: a cluster name (Rancher's provisioning clusters are DNS-1123 labels). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];

  if (byteLength(value) > NAME_LIMITS.dns1123Label) {
    errs.push(maxLenError(NAME_LIMITS.dns1123Label));
  }
  if (!DNS1123_LABEL.test(value)) {
    errs.push(regexError("a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }

  return errs;
}

/** IsDNS1123Subdomain: a Secret or ConfigMap name. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];

  if (byteLength(value) > NAME_LIMITS.dns1123Subdomain) {
    errs.push(maxLenError(NAME_LIMITS.dns1123Subdomain));
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(regexError("a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }

  return errs;
}

/** IsConfigMapKey: a key in a Secret's or ConfigMap's data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];

  if (byteLength(value) > NAME_LIMITS.dns1123Subdomain) {
    errs.push(maxLenError(NAME_LIMITS.dns1123Subdomain));
  }
  if (!CONFIG_MAP_KEY.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (value === '.') {
    errs.push("must not be '.'");
  } else if (value === '..') {
    errs.push("must not be '..'");
  } else if (value.startsWith('..')) {
    errs.push("must not start with '..'");
  }

  return errs;
}

const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** IsQualifiedName: a label key (`example.com/name` or `name`). */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');

  if (parts.length > 2) {
    return [`a qualified name ${ regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') } with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts[parts.length - 1];

  if (parts.length === 2) {
    const prefix = parts[0];

    if (!prefix) {
      errs.push('prefix part must be non-empty');
    } else {
      errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${ m }`));
    }
  }
  if (!name) {
    errs.push('name part must be non-empty');
  } else if (byteLength(name) > NAME_LIMITS.qualifiedName) {
    errs.push(`name part ${ maxLenError(NAME_LIMITS.qualifiedName) }`);
  }
  if (!QUALIFIED_NAME.test(name)) {
    errs.push(`name part ${ regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') }`);
  }

  return errs;
}

/** IsValidLabelValue: a label value (may be empty). */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];

  if (byteLength(value) > NAME_LIMITS.labelValue) {
    errs.push(maxLenError(NAME_LIMITS.labelValue));
  }
  if (!LABEL_VALUE.test(value)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }

  return errs;
}

/**
 * A file path on a node as the plan writes it (machineSelectorFiles `path`, `audit-policy-file=`,
 * `audit-log-path=`): absolute, already clean as Go's path.Clean would leave it, one line, and not `/`.
 */
export function nodeFilePathProblems(value: string): Message[] {
  const errs: Message[] = [];

  if (!value.startsWith('/')) {
    errs.push(deliveryMessage('delivery.pathNotAbsolute'));
  }
  if (/[\n\r\0]/.test(value)) {
    errs.push(deliveryMessage('delivery.pathNotOneLine'));
  }
  if (value === '/') {
    errs.push(deliveryMessage('delivery.pathRoot'));
  } else if (value.startsWith('/') && (/\/\/|\/\.\.?(\/|$)/.test(value) || value.endsWith('/'))) {
    errs.push(deliveryMessage('delivery.pathNotClean', { clean: JSON.stringify(cleanPath(value)) }));
  }

  return errs;
}

/** nodeFilePathProblems in English. */
export function isNodeFilePath(value: string): string[] {
  return nodeFilePathProblems(value).map(deliveryText);
}

/** Go's path.Clean for an absolute path: the suggestion shown when a path is not clean. */
export function cleanPath(value: string): string {
  const out: string[] = [];

  for (const part of value.split('/')) {
    if (part === '..') {
      out.pop();
    } else if (part && part !== '.') {
      out.push(part);
    }
  }

  return `/${ out.join('/') }`;
}
