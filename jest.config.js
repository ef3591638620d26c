/**
 * ESM + ts-jest, as in STACK.md, in two projects (`npm test` runs both at once, test/run.mjs):
 * - `suite`: every file but the heavy ones, two workers, each file its own table in one shared DynamoDB Local
 *   (test/support/global-setup.js);
 * - `heavy`: the storm, hub, race and fault tests, one file at a time, each with a DynamoDB Local of its own, so
 *   they never load the database the rest of the suite is using, nor each other's.
 */
export const HEAVY = [
  'test/e2e/alert-sources.test.ts',
  'test/e2e/case-alerts.test.ts',
  'test/e2e/faults.test.ts',
  'test/e2e/scale.test.ts',
  'test/integration/impact-bounds.test.ts',
];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  // Function logs stay out of the test report unless LOG_LEVEL asks for them (test/run.mjs defaults it to SILENT).
  setupFiles: ['<rootDir>/test/support/quiet.js'],
};

export default {
  // test/run.mjs gives the heavy project 180 s a test: storms at full scale on a slow, loaded machine, with 503s sent
  // again after Retry-After (jest takes this one from the run, not from a project).
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'suite',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...HEAVY.map((path) => `<rootDir>/${path}`)],
      globalSetup: '<rootDir>/test/support/global-setup.js',
      globalTeardown: '<rootDir>/test/support/global-teardown.js',
    },
    {
      ...common,
      displayName: 'heavy',
      testMatch: HEAVY.map((path) => `<rootDir>/${path}`),
    },
  ],
};
