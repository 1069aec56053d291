/** Jest runs the TypeScript sources through SWC (no type checking here: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/setup-each-file.ts'],
  testTimeout: 20000,
  // A test that fails half-way can leave a BullMQ worker retrying a Redis it stopped; the run must
  // still end (with its failures) rather than hang CI. Passing runs close everything they open.
  forceExit: true,
};
