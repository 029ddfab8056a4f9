/**
 * The node label selector as the form shows and takes it: `key=value, key=value` <-> matchLabels. Parsing keeps
 * whatever is typed (the plan then checks each key and value with apimachinery's rules, names.ts), so a typo is
 * shown at the field instead of being dropped.
 */

/** matchLabels as text: `k=v, k=v` in the object's order. */
export function formatSelector(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${ k }=${ v }`).join(', ');
}

/**
 * Text as matchLabels: pairs split at ",", key and value at the first "=", blanks around them trimmed, empty pairs
 * skipped. A pair without "=" is a key with an empty value (which IsValidLabelValue accepts, as Kubernetes does).
 */
export function parseSelector(text: string): Record<string, string> {
  const labels: Record<string, string> = {};

  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    const key = (at < 0 ? pair : pair.slice(0, at)).trim();

    Object.defineProperty(labels, key, {
      value: at < 0 ? '' : pair.slice(at + 1).trim(), enumerable: true, writable: true, configurable: true
    });
  }

  return labels;
}
