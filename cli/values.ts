/**
 * Option values `render` writes into what Rancher and kube-apiserver read: names checked with apimachinery's
 * rules and messages (delivery/names.ts), whole numbers kept digit for digit (delivery/numbers.ts).
 */
import { parseWholeNumber } from '../pkg/cluster-audit-log/delivery/numbers';
import { CliError } from './io';

/**
 * `value` when `check` (one of delivery/names.ts) finds no problem; else one line naming the option, the value
 * and apimachinery's messages: `--cluster "c,victim": a DNS-1123 label must consist of ...`.
 */
export function checkedName(option: string, value: string, check: (value: string) => string[]): string {
  const problems = check(value);

  if (problems.length) {
    throw new CliError(`--${ option } ${ JSON.stringify(value) }: ${ problems.join('; ') }`, 2);
  }

  return value;
}

/**
 * A whole number option as delivery/numbers.ts reads it (decimal digits, leading zeros dropped: kube-apiserver's
 * flag parser would read `010` as octal 8; at most `max`, Go's int by default): its canonical digits, never a
 * JavaScript number on the way, so 22 digits stay 22 digits and are refused, not written as `1e+21`.
 */
export function wholeNumber(option: string, value: string, max?: string): string {
  const read = parseWholeNumber(value, max);

  if (!read.ok) {
    throw new CliError(`--${ option } ${ read.message }`, 2);
  }

  return read.digits;
}
