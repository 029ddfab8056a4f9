/**
 * ValidatePolicy, mirroring k8s.io/apiserver pkg/apis/audit/validation/validation.go, with the field paths
 * and message texts of k8s.io/apimachinery's field.Error (`rules[2].nonResourceURLs[0]: Invalid value: ...`).
 */
import { verbatim } from './messages';
import {
  Diagnostic, GroupResources, LEVELS, Policy, PolicyRule, STAGES
} from './types';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${ DNS1123_LABEL }(\\.${ DNS1123_LABEL })*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${ DNS1123_SUBDOMAIN_FMT }$`);
const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_SUBDOMAIN_MSG = 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character';

/** Renders a bad value the way field.Error.ErrorBody does: strings quoted, the rest as JSON. */
export function formatBadValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }

  return JSON.stringify(value ?? null);
}

/** field.Required */
function required(path: string): Diagnostic {
  return { path, ...verbatim('Required value') };
}

/** field.Invalid */
function invalid(path: string, value: unknown, detail: string): Diagnostic {
  return { path, ...verbatim(`Invalid value: ${ formatBadValue(value) }: ${ detail }`) };
}

/** field.NotSupported */
function notSupported(path: string, value: unknown, valid: readonly string[]): Diagnostic {
  return { path, ...verbatim(`Unsupported value: ${ formatBadValue(value) }: supported values: ${ valid.map((v) => JSON.stringify(v)).join(', ') }`) };
}

/** validation.NameIsDNSSubdomain (IsDNS1123Subdomain) messages, joined with "," as validateResources does. */
export function dnsSubdomainErrors(value: string): string[] {
  const errs: string[] = [];

  if (value.length > DNS1123_SUBDOMAIN_MAX) {
    errs.push(`must be no more than ${ DNS1123_SUBDOMAIN_MAX } characters`);
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(`${ DNS1123_SUBDOMAIN_MSG } (e.g. 'example.com', regex used for validation is '${ DNS1123_SUBDOMAIN_FMT }')`);
  }

  return errs;
}

function validateLevel(level: unknown, path: string): Diagnostic[] {
  if (level === undefined || level === null || level === '') {
    return [required(path)];
  }

  return (LEVELS as readonly unknown[]).includes(level) ? [] : [notSupported(path, level, LEVELS)];
}

function validateOmitStages(stages: unknown[] | undefined, path: string): Diagnostic[] {
  return (stages || []).flatMap((stage, i) => ((STAGES as readonly unknown[]).includes(stage) ? [] : [invalid(`${ path }[${ i }]`, stage, `allowed stages are ${ STAGES.join(',') }`)]));
}

function validateNonResourceURLs(urls: string[] | undefined, path: string): Diagnostic[] {
  const errs: Diagnostic[] = [];

  (urls || []).forEach((url, i) => {
    if (url === '*') {
      return;
    }
    if (!url.startsWith('/')) {
      errs.push(invalid(`${ path }[${ i }]`, url, 'non-resource URL rules must begin with a \'/\' character'));
    }
    if (url !== '' && url.slice(0, -1).includes('*')) {
      errs.push(invalid(`${ path }[${ i }]`, url, 'non-resource URL wildcards \'*\' must be the final character of the rule'));
    }
  });

  return errs;
}

/** Note: kube-apiserver reports group errors at `rules[i].resources.group`, without the entry's index. */
function validateResources(groupResources: GroupResources[] | undefined, path: string): Diagnostic[] {
  const errs: Diagnostic[] = [];

  for (const gr of groupResources || []) {
    const group = gr.group || '';

    if (group !== '' && group !== '*') {
      const msgs = dnsSubdomainErrors(group);

      if (msgs.length) {
        errs.push(invalid(`${ path }.group`, group, msgs.join(',')));
      }
    }
    if ((gr.resourceNames || []).length > 0 && (gr.resources || []).length === 0) {
      errs.push(invalid(`${ path }.resourceNames`, gr.resourceNames, 'using resourceNames requires at least one resource'));
    }
  }

  return errs;
}

function validatePolicyRule(rule: PolicyRule, path: string): Diagnostic[] {
  const errs = [
    ...validateLevel(rule.level, `${ path }.level`),
    ...validateNonResourceURLs(rule.nonResourceURLs, `${ path }.nonResourceURLs`),
    ...validateResources(rule.resources, `${ path }.resources`),
    ...validateOmitStages(rule.omitStages, `${ path }.omitStages`),
  ];

  if ((rule.nonResourceURLs || []).length > 0 && ((rule.resources || []).length > 0 || (rule.namespaces || []).length > 0)) {
    errs.push(invalid(`${ path }.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
  }

  return errs;
}

/**
 * Validates a decoded policy exactly as kube-apiserver's ValidatePolicy does, de-duplicated as
 * ErrorList.ToAggregate does. The 0-rules check is the loader's, not validation's: see read.ts.
 */
export function validatePolicy(policy: Policy): Diagnostic[] {
  const all = [
    ...validateOmitStages(policy.omitStages, 'omitStages'),
    ...(policy.rules || []).flatMap((rule, i) => validatePolicyRule(rule, `rules[${ i }]`)),
  ];
  const seen = new Set<string>();

  return all.filter((d) => {
    const key = `${ d.path }: ${ d.message }`;

    if (seen.has(key)) {
      return false;
    }
    seen.add(key);

    return true;
  });
}
