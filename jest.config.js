// One jest run for the whole monorepo. TypeScript is transformed by SWC (fast, no type check:
// `npm run typecheck` does that); workspace packages resolve to their sources, so tests never
// depend on a stale dist/. The web client's tests (web/test, *.test.ts and *.test.tsx) run in
// the same command; a file that needs a DOM says so with a `@jest-environment jsdom` docblock.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Node's export conditions in the DOM environment too (jsdom's default, 'browser', picks
  // Preact's ES modules, which this CommonJS run cannot load).
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/test', '<rootDir>/web'],
  testMatch: ['**/test/**/*.test.ts', '**/test/**/*.test.tsx'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    // The web client's components: Preact's automatic JSX runtime, as Vite builds them.
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic', importSource: 'preact' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    // The web client imports its stylesheet for Vite; tests have no use for it.
    '\\.css$': '<rootDir>/web/test/support/style-stub.ts',
    '^@tickstream/model/node$': '<rootDir>/packages/model/src/node.ts',
    '^@tickstream/(platform|indicators|model|contracts|marketdata)$': '<rootDir>/packages/$1/src/index.ts',
  },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
