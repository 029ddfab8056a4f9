/**
 * `t()` for this package's components. Text goes through Vue's own escaping ({{ }} and attribute bindings; no
 * v-html anywhere), so translations are taken raw: the shell's default HTML-escaping would show "&#39;" for an
 * apostrophe in an interpolation.
 */
import { useStore } from 'vuex';
import { useI18n } from '@shell/composables/useI18n';
import { Message, renderMessage } from '../policy/messages';

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
  return renderMessage(message, (code, args) => t(`clusterAuditLog.msg.${ code }`, args));
}

/** Returns translateMessage bound to the current store's language. */
export function useTm(): TranslateMessage {
  const t = useT();

  return (message) => translateMessage(t, message);
}
