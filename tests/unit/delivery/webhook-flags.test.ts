/**
 * The audit webhook's kube-apiserver flags (delivery/webhook-flags.ts, delivery/flag-values.ts) as truth tables:
 * their names and defaults as k8s.io/apiserver pkg/server/options/audit.go declares them, each value read as pflag
 * reads it (Go's time.ParseDuration, strconv.ParseBool and ParseFloat texts), kube-apiserver's checks of the values
 * in effect, and the warnings about the modes.
 */
import {
  readFlag, WEBHOOK_ARGS, WEBHOOK_FLAGS, WEBHOOK_MODES, WebhookFlag, webhookFlagErrors, webhookFlagWarnings
} from '@pkg/delivery';
import { invalidArgument, parseGoBool, parseGoDuration, parseGoFloat32 } from '@pkg/delivery/flag-values';
import { english } from '../../support/english';

describe('the flags and kube-apiserver\'s defaults (audit.go NewAuditOptions, defaultWebhookBatchConfig, NewAuditTruncateOptions)', () => {
  it.each([
    ['mode', 'audit-webhook-mode', 'batch', false],
    ['batchBufferSize', 'audit-webhook-batch-buffer-size', '10000', true],
    ['batchMaxSize', 'audit-webhook-batch-max-size', '400', true],
    ['batchMaxWait', 'audit-webhook-batch-max-wait', '30s', true],
    ['batchThrottleEnable', 'audit-webhook-batch-throttle-enable', 'true', true],
    ['batchThrottleQPS', 'audit-webhook-batch-throttle-qps', '10', true],
    ['batchThrottleBurst', 'audit-webhook-batch-throttle-burst', '15', true],
    ['initialBackoff', 'audit-webhook-initial-backoff', '10s', false],
    ['truncateEnabled', 'audit-webhook-truncate-enabled', 'false', false],
    ['truncateMaxBatchSize', 'audit-webhook-truncate-max-batch-size', '10485760', false],
    ['truncateMaxEventSize', 'audit-webhook-truncate-max-event-size', '102400', false],
  ] as [WebhookFlag, string, string, boolean][])('%s: --%s, default %s, batch mode only: %p', (flag, arg, def, batchOnly) => {
    expect(WEBHOOK_FLAGS[flag]).toMatchObject({ arg, default: def, batchOnly });
  });

  it('the modes are AllowedModes; the owned args are the config file and the eleven flags', () => {
    expect(WEBHOOK_MODES).toEqual(['batch', 'blocking', 'blocking-strict']);
    expect(WEBHOOK_ARGS).toEqual(['audit-webhook-config-file', ...Object.values(WEBHOOK_FLAGS).map((f) => f.arg)]);
  });
});

describe('time.ParseDuration', () => {
  it.each([
    ['10s', BigInt(10e9)],
    ['1m30s', BigInt(90e9)],
    ['1.5h', BigInt(5400e9)],
    ['250ms', BigInt(250e6)],
    ['2µs', BigInt(2000)],
    ['-5s', BigInt(-5e9)],
    ['+0.5s', BigInt(5e8)],
    ['0', BigInt(0)],
    ['9223372036854775807ns', BigInt('9223372036854775807')],
  ])('%s = %s ns', (text, ns) => {
    expect(parseGoDuration(text)).toEqual({ ok: true, nanoseconds: ns });
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['10', 'time: missing unit in duration "10"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['x', 'time: invalid duration "x"'],
    ['.s', 'time: invalid duration ".s"'],
    ['1s5', 'time: missing unit in duration "1s5"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['10 s', 'time: unknown unit " s" in duration "10 s"'],
  ])('%j: %s', (text, message) => {
    expect(parseGoDuration(text)).toEqual({ ok: false, message });
  });
});

describe('strconv.ParseBool and ParseFloat(s, 32)', () => {
  it.each([
    ['true', true], ['T', true], ['1', true], ['TRUE', true], ['False', false], ['0', false], ['f', false],
  ])('ParseBool(%j) = %p', (text, value) => {
    expect(parseGoBool(text)).toEqual({ ok: true, value });
  });

  it.each(['yes', 'on', 'tRUE', ''])('ParseBool(%j) is refused', (text) => {
    expect(parseGoBool(text)).toEqual({ ok: false, message: `strconv.ParseBool: parsing "${ text }": invalid syntax` });
  });

  it.each([
    ['10', 10], ['0.5', 0.5], ['.5', 0.5], ['1e2', 100], ['-3', -3], ['0x1p-2', 0.25], ['Inf', Infinity], ['0.1', Math.fround(0.1)],
  ])('ParseFloat(%j, 32) = %p', (text, value) => {
    expect(parseGoFloat32(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['ten', 'invalid syntax'], ['1,5', 'invalid syntax'], ['', 'invalid syntax'], ['1e39', 'value out of range'],
  ])('ParseFloat(%j, 32): %s', (text, why) => {
    expect(parseGoFloat32(text)).toEqual({ ok: false, message: `strconv.ParseFloat: parsing "${ text }": ${ why }` });
  });

  it('pflag wraps a refused value with the flag\'s name', () => {
    expect(invalidArgument('audit-webhook-batch-max-wait', '30', 'time: missing unit in duration "30"')).toBe('invalid argument "30" for "--audit-webhook-batch-max-wait" flag: time: missing unit in duration "30"');
  });
});

describe('readFlag: what is written for a typed value', () => {
  it.each([
    ['mode', 'blocking-strict', { ok: true, text: 'blocking-strict' }],
    ['mode', 'Batch', { ok: false, message: 'invalid audit webhook mode Batch, allowed modes are "batch,blocking,blocking-strict"' }],
    ['batchMaxSize', '0400', { ok: true, text: '400' }],
    ['batchMaxSize', '4e2', { ok: false, message: 'audit-webhook-batch-max-size: "4e2" is not a whole number: use the digits 0-9 only (no sign, blanks, decimal point or exponent)' }],
    ['batchMaxSize', '9223372036854775808', { ok: false, message: 'audit-webhook-batch-max-size: "9223372036854775808" is too large: at most 9223372036854775807' }],
    ['batchMaxWait', '5s', { ok: true, text: '5s' }],
    ['initialBackoff', '10', { ok: false, message: 'invalid argument "10" for "--audit-webhook-initial-backoff" flag: time: missing unit in duration "10"' }],
    ['truncateEnabled', 'T', { ok: true, text: 'T' }],
    ['truncateEnabled', 'yes', { ok: false, message: 'invalid argument "yes" for "--audit-webhook-truncate-enabled" flag: strconv.ParseBool: parsing "yes": invalid syntax' }],
    ['batchThrottleQPS', '2.5', { ok: true, text: '2.5', number: 2.5 }],
  ] as [WebhookFlag, string, unknown][])('%s = %j -> %j', (flag, text, expected) => {
    const read = readFlag(flag, text);

    expect(read.ok ? read : english(read)).toEqual(expected);
  });
});

describe('kube-apiserver\'s checks of the values in effect (AuditWebhookOptions.Validate)', () => {
  it.each([
    ['kube-apiserver\'s defaults', {}, []],
    ['buffer size 0 in batch mode', { batchBufferSize: '0' }, ['webhook.batchBufferSize: invalid audit batch webhook buffer size 0, must be a positive number']],
    ['buffer size 0 in blocking mode: not used, not checked', { mode: 'blocking', batchBufferSize: '0' }, []],
    ['max batch size 0', { batchMaxSize: '000' }, ['webhook.batchMaxSize: invalid audit batch webhook max batch size 0, must be a positive number']],
    ['throttle QPS 0 while throttling', { batchThrottleQPS: '0' }, ['webhook.batchThrottleQPS: invalid audit batch webhook throttle QPS 0, must be a positive number']],
    ['throttle QPS -1.5 while throttling', { batchThrottleQPS: '-1.5' }, ['webhook.batchThrottleQPS: invalid audit batch webhook throttle QPS -1.5, must be a positive number']],
    ['throttle QPS 0 without throttling', { batchThrottleQPS: '0', batchThrottleEnable: 'false' }, []],
    ['throttle burst 0', { batchThrottleBurst: '0' }, ['webhook.batchThrottleBurst: invalid audit batch webhook throttle burst 0, must be a positive number']],
    ['max event size 0 (checked even with truncating off)', { truncateMaxEventSize: '0' }, ['webhook.truncateMaxEventSize: invalid audit truncate webhook max event size 0, must be a positive number']],
    ['max batch size under the default max event size', { truncateMaxBatchSize: '1000' }, ['webhook.truncateMaxBatchSize: invalid audit truncate webhook max batch size 1000, must be greater than max event size (102400)']],
    ['max batch size equal to max event size', { truncateMaxBatchSize: '500', truncateMaxEventSize: '500' }, []],
    ['a value pflag refuses is reported once, at its field', { batchMaxWait: '30', mode: 'fast' }, [
      'webhook.mode: invalid audit webhook mode fast, allowed modes are "batch,blocking,blocking-strict"',
      'webhook.batchMaxWait: invalid argument "30" for "--audit-webhook-batch-max-wait" flag: time: missing unit in duration "30"',
    ]],
  ] as [string, Record<string, string>, string[]][])('%s', (_what, flags, errors) => {
    expect(webhookFlagErrors(flags).map((e) => `${ e.path }: ${ e.message }`)).toEqual(errors);
  });
});

describe('advice on the mode', () => {
  it.each([
    ['batch (the default)', {}, []],
    ['blocking', { mode: 'blocking' }, ['warning webhook.mode: blocking makes every request to the API server wait until its events are sent (a failed send is dropped, the request goes on)']],
    ['blocking-strict', { mode: 'blocking-strict' }, ['warning webhook.mode: blocking-strict makes the receiver part of the API server\'s availability: every request waits for its events to be sent, and a request fails when its RequestReceived event cannot be sent']],
    ['batch flags in blocking mode', { mode: 'blocking', batchMaxWait: '5s' }, [
      'warning webhook.mode: blocking makes every request to the API server wait until its events are sent (a failed send is dropped, the request goes on)',
      'info webhook.batchMaxWait: audit-webhook-batch-max-wait is only used in batch mode; the mode is blocking',
    ]],
  ] as [string, Record<string, string>, string[]][])('%s', (_what, flags, warnings) => {
    expect(webhookFlagWarnings(flags).map((w) => `${ w.severity } ${ w.path }: ${ w.message }`)).toEqual(warnings);
  });
});
