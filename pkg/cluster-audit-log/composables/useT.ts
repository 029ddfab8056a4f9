/**
 * `t()` for this package's components. Text goes through Vue's own escaping ({{ }} and attribute bindings; no
 * v-html anywhere), so translations are taken raw: the shell's default HTML-escaping would show "&#39;" for an
 * apostrophe in an interpolation.
 */
import { useStore } from 'vuex';
import { useI18n } from '@shell/composables/useI18n';

export type Translate = (key: string, args?: Record<string, unknown>) => string;

/** Returns the raw translation function bound to the current store. */
export function useT(): Translate {
  const { t } = useI18n(useStore());

  return (key, args) => t(key, args, true);
}
