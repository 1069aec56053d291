/** Jest runs the TypeScript sources through SWC (no type checking here: `npm run typecheck` does that). */
const os = require('node:os');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/setup-each-file.ts'],
  testTimeout: 20000,
  // Most files wait on processes, sockets and timers rather than compute: two files at a time
  // even on two cores (jest's default there would be one), one fewer than the cores above that.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // Slowest files first, estimated by kind when jest has no timing of its own (test/support/sequencer.cjs).
  testSequencer: '<rootDir>/test/support/sequencer.cjs',
  // A test that fails half-way can leave a BullMQ worker retrying a Redis it stopped; the run must
  // still end (with its failures) rather than hang CI. Passing runs close everything they open.
  // A single file runs in band, in jest's own process: a failing one would hang it without this.
  forceExit: true,
};
