/** The plan's problems by the form field they belong to (`file.name`, `log.maxAge`...), for FieldError. */
import type { Problem } from '../delivery';
import type { TranslateMessage } from '../composables/useT';

/** One text per field path: the messages of that path in the UI's language, one per line, in the plan's order. */
export function messagesByField(problems: readonly Problem[], tm: TranslateMessage): Record<string, string> {
  const out: Record<string, string> = {};

  for (const p of problems) {
    const text = tm(p);

    out[p.path] = p.path in out ? `${ out[p.path] }\n${ text }` : text;
  }

  return out;
}
