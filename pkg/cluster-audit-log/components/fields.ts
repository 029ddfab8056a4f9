/** The plan's problems by the form field they belong to (`file.name`, `log.maxAge`...), for FieldError. */
import type { Problem } from '../delivery';

/** One text per field path: the messages of that path, one per line, in the plan's order. */
export function messagesByField(problems: readonly Problem[]): Record<string, string> {
  const out: Record<string, string> = {};

  for (const p of problems) {
    out[p.path] = p.path in out ? `${ out[p.path] }\n${ p.message }` : p.message;
  }

  return out;
}
