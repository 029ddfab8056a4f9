/**
 * kube-apiserver's audit webhook flags, their defaults and kube-apiserver's checks of them, read off
 * k8s.io/apiserver pkg/server/options/audit.go (AuditWebhookOptions.AddFlags, AuditBatchOptions.AddFlags,
 * AuditTruncateOptions.AddFlags with the plugin name "webhook"; NewAuditOptions, defaultWebhookBatchConfig,
 * NewAuditTruncateOptions; validateBackendMode, validateBackendBatchOptions, AuditTruncateOptions.Validate) and
 * plugin/pkg/audit/webhook/webhook.go (DefaultInitialBackoffDelay). A flag left unset keeps kube-apiserver's
 * default and is not written.
 */
import { invalidArgument, parseGoBool, parseGoDuration, parseGoFloat32 } from './flag-values';
import { goFormatFloatG } from '../policy/go-format';
import { Coded, messageOf, verbatim } from '../policy/messages';
import { coded, problem, problemOf } from './messages';
import { compareDigits, parseWholeNumber } from './numbers';
import type { Problem, WebhookSettings } from './types';

/** The flag naming the webhook's kubeconfig file (the webhook is on when it is set). */
export const WEBHOOK_CONFIG_ARG = 'audit-webhook-config-file';

/** --audit-webhook-mode's values (AllowedModes), in kube-apiserver's order. */
export const WEBHOOK_MODES = ['batch', 'blocking', 'blocking-strict'] as const;
export type WebhookMode = typeof WEBHOOK_MODES[number];

/** How pflag reads a flag's value: IntVar/Int64Var, DurationVar, BoolVar, Float32Var, or the mode string. */
export type WebhookFlagKind = 'mode' | 'int' | 'duration' | 'bool' | 'float32';

/** One webhook flag: its name, how it is read, kube-apiserver's default, and whether only batch mode uses it. */
export interface WebhookFlagFacts {
  arg: string;
  kind: WebhookFlagKind;
  default: string;
  batchOnly: boolean;
}

/** The webhook flags this extension writes, by the settings' field name, in the order the form shows them. */
export const WEBHOOK_FLAGS = {
  mode: {
    arg: 'audit-webhook-mode', kind: 'mode', default: 'batch', batchOnly: false
  },
  batchBufferSize: {
    arg: 'audit-webhook-batch-buffer-size', kind: 'int', default: '10000', batchOnly: true
  },
  batchMaxSize: {
    arg: 'audit-webhook-batch-max-size', kind: 'int', default: '400', batchOnly: true
  },
  batchMaxWait: {
    arg: 'audit-webhook-batch-max-wait', kind: 'duration', default: '30s', batchOnly: true
  },
  batchThrottleEnable: {
    arg: 'audit-webhook-batch-throttle-enable', kind: 'bool', default: 'true', batchOnly: true
  },
  batchThrottleQPS: {
    arg: 'audit-webhook-batch-throttle-qps', kind: 'float32', default: '10', batchOnly: true
  },
  batchThrottleBurst: {
    arg: 'audit-webhook-batch-throttle-burst', kind: 'int', default: '15', batchOnly: true
  },
  initialBackoff: {
    arg: 'audit-webhook-initial-backoff', kind: 'duration', default: '10s', batchOnly: false
  },
  truncateEnabled: {
    arg: 'audit-webhook-truncate-enabled', kind: 'bool', default: 'false', batchOnly: false
  },
  truncateMaxBatchSize: {
    arg: 'audit-webhook-truncate-max-batch-size', kind: 'int', default: '10485760', batchOnly: false
  },
  truncateMaxEventSize: {
    arg: 'audit-webhook-truncate-max-event-size', kind: 'int', default: '102400', batchOnly: false
  },
} as const satisfies Record<string, WebhookFlagFacts>;

export type WebhookFlag = keyof typeof WEBHOOK_FLAGS;

/** The webhook flag fields, in the form's order. */
export const WEBHOOK_FLAG_FIELDS = Object.keys(WEBHOOK_FLAGS) as WebhookFlag[];

/** The webhook args this extension owns: the config file and every flag above. */
export type WebhookArg = typeof WEBHOOK_CONFIG_ARG | typeof WEBHOOK_FLAGS[WebhookFlag]['arg'];
export const WEBHOOK_ARGS: readonly WebhookArg[] = [WEBHOOK_CONFIG_ARG, ...WEBHOOK_FLAG_FIELDS.map((f) => WEBHOOK_FLAGS[f].arg)];

/** The deprecated spelling of --audit-webhook-initial-backoff (MarkDeprecated), read as a warning only. */
export const DEPRECATED_BACKOFF_ARG = 'audit-webhook-batch-initial-backoff';

/**
 * What a flag value is: its canonical text (written as is), or why kube-apiserver would not start with it (pflag's or
 * Go's own text as `kube.verbatim`, or a whole number's message).
 */
export type FlagValue = { ok: true, text: string, number?: number } | ({ ok: false } & Coded);

/**
 * Reads one flag value as pflag would. Whole numbers are written as plain decimal digits (numbers.ts: a leading
 * 0 would be octal to pflag); a duration, a bool or a float is kept as typed once Go accepts it.
 */
export function readFlag(flag: WebhookFlag, text: string): FlagValue {
  const { arg, kind } = WEBHOOK_FLAGS[flag] as WebhookFlagFacts;

  switch (kind) {
  case 'mode':
    return (WEBHOOK_MODES as readonly string[]).includes(text) ? { ok: true, text } : { ok: false, ...verbatim(`invalid audit webhook mode ${ text }, allowed modes are "${ WEBHOOK_MODES.join(',') }"`) };
  case 'int': {
    const read = parseWholeNumber(text);

    return read.ok ? { ok: true, text: read.digits } : { ok: false, ...coded('delivery.badNumber', { name: arg, reason: messageOf(read) }) };
  }
  case 'duration': {
    const read = parseGoDuration(text);

    return read.ok ? { ok: true, text } : { ok: false, ...verbatim(invalidArgument(arg, text, read.message)) };
  }
  case 'bool': {
    const read = parseGoBool(text);

    return read.ok ? { ok: true, text } : { ok: false, ...verbatim(invalidArgument(arg, text, read.message)) };
  }
  default: {
    const read = parseGoFloat32(text);

    return read.ok ? {
      ok: true, text, number: read.value
    } : { ok: false, ...verbatim(invalidArgument(arg, text, read.message)) };
  }
  }
}

/** A flag's value in effect: the one set, else kube-apiserver's default. */
function effective(flags: WebhookSettings['flags'], flag: WebhookFlag): string {
  return flags[flag] ?? WEBHOOK_FLAGS[flag].default;
}

/**
 * The flag errors kube-apiserver would not start with, each at its field (`webhook.batchMaxSize`...): values pflag
 * refuses, then AuditWebhookOptions.Validate's checks of the values in effect (batch checks only in batch mode).
 */
export function webhookFlagErrors(flags: WebhookSettings['flags']): Problem[] {
  const errors: Problem[] = [];
  const bad = new Set<WebhookFlag>();

  for (const flag of WEBHOOK_FLAG_FIELDS) {
    const text = flags[flag];
    const read = text === undefined ? null : readFlag(flag, text);

    if (read && !read.ok) {
      bad.add(flag);
      errors.push(problemOf(`webhook.${ flag }`, 'error', read));
    }
  }
  const value = (flag: WebhookFlag): string | null => (bad.has(flag) ? null : effective(flags, flag));
  const positive = (flag: WebhookFlag, what: string, plugin: 'batch' | 'truncate') => {
    const text = value(flag);

    if (text !== null && /^0+$/.test(text)) {
      errors.push(problemOf(`webhook.${ flag }`, 'error', verbatim(`invalid audit ${ plugin } webhook ${ what } 0, must be a positive number`)));
    }
  };

  if (value('mode') === 'batch') {
    positive('batchBufferSize', 'buffer size', 'batch');
    positive('batchMaxSize', 'max batch size', 'batch');
    const throttle = value('batchThrottleEnable');
    const throttleRead = throttle === null ? null : parseGoBool(throttle);

    if (throttleRead?.ok && throttleRead.value) {
      const qps = value('batchThrottleQPS');
      const read = qps === null ? null : parseGoFloat32(qps);

      if (read?.ok && read.value <= 0) {
        errors.push(problemOf('webhook.batchThrottleQPS', 'error', verbatim(`invalid audit batch webhook throttle QPS ${ goFormatFloatG(read.value, 32) }, must be a positive number`)));
      }
      positive('batchThrottleBurst', 'throttle burst', 'batch');
    }
  }
  positive('truncateMaxEventSize', 'max event size', 'truncate');
  const batch = value('truncateMaxBatchSize');
  const event = value('truncateMaxEventSize');

  if (batch !== null && event !== null) {
    const [b, e] = [parseWholeNumber(batch), parseWholeNumber(event)];

    if (b.ok && e.ok && compareDigits(b.digits, e.digits) < 0) {
      errors.push(problemOf('webhook.truncateMaxBatchSize', 'error', verbatim(`invalid audit truncate webhook max batch size ${ b.digits }, must be greater than max event size (${ e.digits })`)));
    }
  }

  return errors;
}

/**
 * Advice on the flags: what blocking modes do to the API server (the mode comments of audit.go), and batch
 * flags set while the mode does not use them ("Only used in batch mode.").
 */
export function webhookFlagWarnings(flags: WebhookSettings['flags']): Problem[] {
  const warnings: Problem[] = [];
  const mode = effective(flags, 'mode');

  if (mode === 'blocking-strict') {
    warnings.push(problem('webhook.mode', 'warning', 'delivery.blockingStrict'));
  } else if (mode === 'blocking') {
    warnings.push(problem('webhook.mode', 'warning', 'delivery.blocking'));
  }
  if (mode !== 'batch') {
    for (const flag of WEBHOOK_FLAG_FIELDS.filter((f) => WEBHOOK_FLAGS[f].batchOnly && flags[f] !== undefined)) {
      warnings.push(problem(`webhook.${ flag }`, 'info', 'delivery.batchOnlyFlag', { arg: WEBHOOK_FLAGS[flag].arg, mode }));
    }
  }

  return warnings;
}
