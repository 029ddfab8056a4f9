// Loads .yaml files (the l10n translations) as plain objects, like js-yaml-loader does in build-pkg.
const crypto = require('crypto');
const YAML = require('yaml');

module.exports = {
  process(sourceText) {
    return { code: `module.exports = ${ JSON.stringify(YAML.parse(sourceText)) };` };
  },
  getCacheKey(sourceText, sourcePath) {
    const hash = crypto.createHash('sha1');

    hash.update(sourcePath);
    hash.update('\0');
    hash.update(sourceText);

    return hash.digest('hex');
  },
};
