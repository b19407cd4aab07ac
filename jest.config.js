/** Unit tests are fast and many; e2e tests start real servers and run one file per worker. */
const common = {
  testEnvironment: 'node',
  transform: { '\\.ts$': '<rootDir>/jest.transform.cjs' },
  setupFiles: ['<rootDir>/jest.setup.cjs'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/.serverless/', '/.esbuild/'],
};

module.exports = {
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/test/**/*.test.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/test/**/*.e2e.ts'],
      slowTestThreshold: 60,
      // The sandbox runs the real packaged bundles: package them once for all e2e files (cached by input hash).
      globalSetup: '<rootDir>/scripts/sandbox/test/e2e/build-bundles.ts',
    },
  ],
};
