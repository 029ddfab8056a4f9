import { importTypes } from '@rancher/auto-import';
import { IPlugin } from '@shell/core/types';

// Registration only: keep this entry chunk tiny. Components and translations load lazily.
export default function(plugin: IPlugin): void {
  // Auto-import model, detail, edit... from the package folders (none yet)
  importTypes(plugin);

  // Provide plugin metadata from package.json
  plugin.metadata = require('./package.json');

  // Translations live in the top-level l10n/ folder; each is its own chunk, fetched when the locale is used
  plugin.addL10n('en-us', () => import(/* webpackChunkName: "l10n-en-us" */ '../../l10n/en-us.yaml'));
  plugin.addL10n('zh-hans', () => import(/* webpackChunkName: "l10n-zh-hans" */ '../../l10n/zh-hans.yaml'));
}
