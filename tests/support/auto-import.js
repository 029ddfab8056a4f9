// Stand-in for the webpack virtual module '@rancher/auto-import' that build-pkg generates.
// This package has no model/edit/detail/list folders, so the generated importTypes registers nothing.
module.exports = { importTypes: () => undefined };
