/**
 * The log rotation numbers (max age, backups, size): whole numbers within the range of the field that stores
 * them, kept as decimal digits so that no value is rounded (a JS number holds 2^53 exactly, Go's int 2^63-1).
 * kube-apiserver reads its int flags with pflag's intValue.Set, strconv.ParseInt(s, 0, 64) (spf13/pflag
 * int.go): base 0, so a leading "0" would mean octal and "1e3" is refused. The digits written are therefore
 * always plain decimal without leading zeros.
 */

import type { Coded } from '../policy/messages';
import { coded } from './messages';
import type { LogNumberField } from './types';

/** The kube-apiserver flag each rotation number is written to (RKE1 uses the field names themselves). */
export const LOG_NUMBER_ARGS = {
  maxAge: 'audit-log-maxage', maxBackup: 'audit-log-maxbackup', maxSize: 'audit-log-maxsize'
} as const satisfies Record<LogNumberField, string>;

/** The rotation number fields, in the order the form and the args show them. */
export const LOG_NUMBER_FIELDS = Object.keys(LOG_NUMBER_ARGS) as LogNumberField[];

/** Go's int on the 64-bit nodes Rancher provisions: math.MaxInt64. */
export const GO_INT_MAX = '9223372036854775807';

/**
 * The largest whole number a JSON number holds exactly in the browser (Number.MAX_SAFE_INTEGER): RKE1 stores
 * the numbers as JSON numbers in the cluster object, which the dashboard reads and writes as JS numbers.
 */
export const JSON_INT_MAX = String(Number.MAX_SAFE_INTEGER);

/** Why a text is not a whole number in range. */
export type NotWholeReason = 'empty' | 'negative' | 'notDigits' | 'tooLarge';

/** What a text holds: its canonical digits, or why it is not a whole number in range (a message code, in English too). */
export type WholeNumber = { ok: true, digits: string } | ({ ok: false, reason: NotWholeReason } & Coded);

/** Compares two canonical digit strings (no leading zeros) as numbers: <0, 0 or >0. */
export function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) {
    return a.length - b.length;
  }

  return a < b ? -1 : Number(a > b);
}

/**
 * Reads a whole number typed or stored as text: decimal digits only (no sign, blanks, decimal point or
 * exponent), leading zeros allowed and dropped, at most `max` (canonical digits; Go's int by default).
 */
export function parseWholeNumber(text: string, max: string = GO_INT_MAX): WholeNumber {
  if (text === '') {
    return {
      ok: false, reason: 'empty', ...coded('delivery.numberEmpty')
    };
  }
  if (/^-\d+$/.test(text)) {
    return {
      ok: false, reason: 'negative', ...coded('delivery.numberNegative', { text })
    };
  }
  if (!/^\d+$/.test(text)) {
    return {
      ok: false, reason: 'notDigits', ...coded('delivery.numberNotDigits', { text })
    };
  }
  const digits = text.replace(/^0+(?=\d)/, '');

  if (compareDigits(digits, max) > 0) {
    return {
      ok: false, reason: 'tooLarge', ...coded('delivery.numberTooLarge', { text, max })
    };
  }

  return { ok: true, digits };
}
