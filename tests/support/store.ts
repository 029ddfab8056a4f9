// A real vuex store with just the `i18n` module shell components need, backed by this package's translations.
import { createStore, Store } from 'vuex';
import IntlMessageFormat, { PrimitiveType } from 'intl-messageformat';
import enUs from '../../l10n/en-us.yaml';
import zhHans from '../../l10n/zh-hans.yaml';

type Translations = Record<string, unknown>;

const LOCALES: Record<string, Translations> = { 'en-us': enUs, 'zh-hans': zhHans };

function lookup(translations: Translations, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => {
    return node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  }, translations);
}

/** The `i18n` vuex module shell components read (`i18n/t`, `i18n/exists`), backed by this package's l10n. */
export function i18nModule(locale = 'en-us') {
  const translations = LOCALES[locale];

  if (!translations) {
    throw new Error(`no translations for locale ${ locale }`);
  }

  return {
    namespaced: true,
    state:      () => ({ selected: locale }),
    getters:    {
      t: () => (key: string, args?: Record<string, PrimitiveType>): string | undefined => {
        const message = lookup(translations, key);

        if (typeof message !== 'string') {
          return undefined;
        }

        return args && Object.keys(args).length ? String(new IntlMessageFormat(message, locale).format(args)) : message;
      },
      exists: () => (key: string): boolean => typeof lookup(translations, key) === 'string',
    },
  };
}

/** A real vuex store holding only the i18n module. */
export function createI18nStore(locale = 'en-us'): Store<unknown> {
  return createStore({ modules: { i18n: i18nModule(locale) } });
}
