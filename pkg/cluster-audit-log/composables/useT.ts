/**
 * `t()` for this package's components. Text goes through Vue's own escaping ({{ }} and attribute bindings; no
 * v-html anywhere), so translations are taken raw: the shell's default HTML-escaping would show "&#39;" for an
 * apostrophe in an interpolation.
 */
import { useStore } from 'vuex';
import { useI18n } from '@shell/composables/useI18n';
import { isMessage, LIST_SEPARATOR, Message, MessageParam } from '../policy/messages';

export type Translate = (key: string, args?: Record<string, unknown>) => string;

/** Translates a message of the engine (policy/, delivery/): its code and its parameters. */
export type TranslateMessage = (message: Message) => string;

/** Returns the raw translation function bound to the current store. */
export function useT(): Translate {
  const { t } = useI18n(useStore());

  return (key, args) => t(key, args, true);
}

/**
 * A message of the engine in the UI's language: `clusterAuditLog.msg.<code>` with its parameters, a parameter that is
 * itself a message (or a list of them) translated first. kube-apiserver's own texts are the `text` of `kube.verbatim`
 * and come out as they are.
 */
export function translateMessage(t: Translate, message: Message): string {
  const arg = (value: MessageParam): string | number => {
    if (Array.isArray(value)) {
      return value.map((m) => (isMessage(m) ? translateMessage(t, m) : String(m))).join(LIST_SEPARATOR);
    }

    return isMessage(value) ? translateMessage(t, value) : typeof value === 'number' ? value : String(value);
  };

  return t(`clusterAuditLog.msg.${ message.code }`, Object.fromEntries(Object.entries(message.params).map(([name, value]) => [name, arg(value)])));
}

/** Returns translateMessage bound to the current store's language. */
export function useTm(): TranslateMessage {
  const t = useT();

  return (message) => translateMessage(t, message);
}
