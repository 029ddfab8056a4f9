// The browser suite (tests/e2e): the real dashboard dev server with this extension, in Debian's chromium,
// against the Rancher stand-in. One worker: the scenarios share one dashboard and one stand-in.
const path = require('path');
const base = require('./jest.config.js').projects[0];

module.exports = {
  rootDir:                  __dirname,
  watchman:                 false,
  testEnvironment:          'node',
  testMatch:                ['<rootDir>/tests/e2e/**/*.e2e.ts'],
  transform:                base.transform,
  moduleNameMapper:         base.moduleNameMapper,
  modulePathIgnorePatterns: base.modulePathIgnorePatterns,
  globalSetup:              path.join(__dirname, 'tests/e2e/global-setup.ts'),
  globalTeardown:           path.join(__dirname, 'tests/e2e/global-teardown.ts'),
  testTimeout:              240000,
  maxWorkers:               1,
};
