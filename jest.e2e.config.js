// The browser suite (tests/e2e): the real dashboard with this extension, in Debian's chromium, against the Rancher
// stand-in. One worker: the scenarios share one dashboard and one stand-in. E2E_MODE picks the mode (servers.ts):
// in-tree (default, every *.e2e.ts) or packaged (the built UMD loaded by Rancher's extension loader: the scenarios
// of audit-log.e2e.ts marked for it, and packaged.e2e.ts). `yarn test:e2e` runs both (scripts/e2e.js).
const path = require('path');
const base = require('./jest.config.js').projects[0];

const packaged = process.env.E2E_MODE === 'packaged';

module.exports = {
  rootDir:                  __dirname,
  watchman:                 false,
  testEnvironment:          'node',
  testMatch:                packaged ? ['<rootDir>/tests/e2e/audit-log.e2e.ts', '<rootDir>/tests/e2e/packaged.e2e.ts'] : ['<rootDir>/tests/e2e/**/*.e2e.ts'],
  testPathIgnorePatterns:   packaged ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/tests/e2e/packaged.e2e.ts'],
  transform:                base.transform,
  moduleNameMapper:         base.moduleNameMapper,
  modulePathIgnorePatterns: base.modulePathIgnorePatterns,
  globalSetup:              path.join(__dirname, 'tests/e2e/global-setup.ts'),
  globalTeardown:           path.join(__dirname, 'tests/e2e/global-teardown.ts'),
  testTimeout:              240000,
  maxWorkers:               1,
};
