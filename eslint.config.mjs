import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** Deep imports into another package's or service's sources. */
const crossPackage = ['@tickstream/*/src/*', '**/services/*/src/*', '../../*/src/*'];

/** What a pure package must not import besides Node's built-ins: I/O clients and the platform. */
const impureModules = ['@tickstream/platform', 'onnxruntime-node', 'ws', 'kafkajs', 'pg', 'knex', 'ioredis'];
const impure = 'pure packages do no I/O: keep this in a service, the platform or @tickstream/model/node';

/** The model's Node-only entry point and the modules only it exports. */
const MODEL_NODE_ONLY = [
  'packages/model/src/node.ts',
  'packages/model/src/onnx/load.ts',
  'packages/model/src/train/**',
];
const nodeOnly = 'Node-only model code: import it from @tickstream/model/node';

/**
 * The gateway's layers, floor first: a folder imports only from its own layer and those below.
 * `request/` holds what every route module needs (typed errors, input parsing, the caller);
 * `http/` composes the routers into the app. The market fan-out (market/) drives sockets/.
 */
const GATEWAY_LAYERS = [
  ['request', 'sockets'],
  ['users', 'ratelimit', 'market'],
  ['auth'],
  ['accounts', 'orders', 'watchlists', 'broker-keys', 'ml'],
  ['http', 'cli'],
];
const gatewayLayerRules = GATEWAY_LAYERS.slice(0, -1).map((layer, i) => ({
  files: layer.map((dir) => `services/gateway/src/${dir}/**/*.ts`),
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: crossPackage },
          {
            group: GATEWAY_LAYERS.slice(i + 1)
              .flat()
              .flatMap((dir) => [`../${dir}`, `../${dir}/*`]),
            message: `gateway layers: ${layer.join(', ')} may not import a layer above it (see GATEWAY_LAYERS)`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    // One program for sources, tests and benches (tsconfig.tests.json includes them all).
    languageOptions: {
      parserOptions: { project: ['./tsconfig.tests.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The browser bundle has its own compiler settings (DOM, Preact JSX).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: ['./web/tsconfig.json', './web/tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // Services never import each other, and nobody reaches into another package's sources.
    files: ['services/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: crossPackage }] },
  },
  // After the entry above: these repeat crossPackage, as a later entry's options replace it.
  ...gatewayLayerRules,
  {
    // Pure packages stay pure: no I/O, so indicators, the model and the contracts run the same in
    // the stream, in training and in the browser. Model's Node-only entry point
    // (@tickstream/model/node: the ONNX runtime, worker threads) is the one exception. This
    // entry repeats crossPackage: a later entry's options replace an earlier one's.
    files: [
      'packages/indicators/src/**/*.ts',
      'packages/model/src/**/*.ts',
      'packages/contracts/src/**/*.ts',
    ],
    ignores: MODEL_NODE_ONLY,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, ...impureModules].map((name) => ({ name, message: impure })),
          patterns: [
            { group: crossPackage },
            { group: ['node:*', ...impureModules.map((m) => `${m}/*`)], message: impure },
            { group: ['**/node', '**/onnx/load', '**/train/*'], message: nodeOnly },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
