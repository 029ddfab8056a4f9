/**
 * The smallest single replacement that turns one text into another: what a form edit changed in the policy YAML,
 * so the editor showing it replaces that range instead of the whole document (CodeMirror re-lays out only the
 * lines that changed; a whole-document `setValue` of a 300-rule policy measures and draws every line again).
 */

/** Replace the UTF-16 code units `from` to `to` of the old text with `insert`. */
export interface TextChange {
  from: number;
  to: number;
  insert: string;
}

/**
 * The change from `before` to `after`: the longest common prefix and, of what is left, the longest common suffix stay;
 * the rest is replaced. null when the texts are equal. Applying it to `before` gives `after` for any two texts.
 */
export function textChange(before: string, after: string): TextChange | null {
  if (before === after) {
    return null;
  }
  const shorter = Math.min(before.length, after.length);
  let start = 0;

  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) {
    start++;
  }
  let end = 0;

  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) {
    end++;
  }

  return {
    from: start, to: before.length - end, insert: after.slice(start, after.length - end)
  };
}

/** Applies a change to a text (what the editor does with it). */
export function applyTextChange(text: string, change: TextChange | null): string {
  return change ? text.slice(0, change.from) + change.insert + text.slice(change.to) : text;
}
