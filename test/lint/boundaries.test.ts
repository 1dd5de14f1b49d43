import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface Probe {
  /** Where the snippet pretends to live, relative to the repository root. */
  file: string;
  code: string;
}

/**
 * Runs the repository's own eslint.config.mjs on snippets as if each were a file at `file`, and
 * returns each one's no-restricted-imports messages. Only that rule runs, without type
 * information (the snippets are in no tsconfig). In a child process: ESLint loads its config
 * with a dynamic import(), which jest's module sandbox does not allow.
 */
function restrictedImports(probes: Probe[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({
      overrideConfig: { languageOptions: { parserOptions: { project: null } } },
      ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
    });
    const out = [];
    for (const { file, code } of JSON.parse(process.argv[1])) {
      const [result] = await eslint.lintText(code, { filePath: file });
      out.push(result.messages.map((m) => (m.ruleId ?? 'fatal') + ': ' + m.message));
    }
    process.stdout.write(JSON.stringify(out));`;
  const stdout = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script, JSON.stringify(probes)],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  return JSON.parse(stdout) as string[][];
}

const PURE_FILES = [
  'packages/model/src/probe.ts',
  'packages/model/src/forest/probe.ts',
  'packages/model/src/eval/probe.ts',
  'packages/indicators/src/probe.ts',
  'packages/contracts/src/probe.ts',
];

const FORBIDDEN_IN_PURE = [
  "import fs from 'node:fs';",
  "import { readFileSync } from 'fs';",
  "import { setTimeout } from 'timers/promises';",
  "import { Worker } from 'node:worker_threads';",
  "import type { Logger } from '@tickstream/platform';",
  "import { InferenceSession } from 'onnxruntime-node';",
  "import WebSocket from 'ws';",
  "import { Kafka } from 'kafkajs';",
  "import { Pool } from 'pg';",
];

describe('eslint.config.mjs import boundaries', () => {
  // One ESLint process for every probe: starting one costs seconds.
  const cases: Array<Probe & { expect: 'error' | 'clean' }> = [
    ...PURE_FILES.flatMap((file) =>
      FORBIDDEN_IN_PURE.map((code) => ({ file, code, expect: 'error' as const })),
    ),
    // Pure packages may use each other and the contracts.
    {
      file: 'packages/model/src/probe.ts',
      code: "import { FEATURE_NAMES } from '@tickstream/contracts';",
      expect: 'clean',
    },
    { file: 'packages/indicators/src/probe.ts', code: "import { Sma } from './sma';", expect: 'clean' },
    // The model's pure modules cannot reach its Node-only ones by a relative path either.
    {
      file: 'packages/model/src/probe.ts',
      code: "import { loadModel } from './onnx/load';",
      expect: 'error',
    },
    {
      file: 'packages/model/src/eval/probe.ts',
      code: "import { trainForestParallel } from '../train/parallel';",
      expect: 'error',
    },
    { file: 'packages/model/src/probe.ts', code: "export * from './node';", expect: 'error' },
    // ...while the Node-only entry point and its modules may use Node and the ONNX runtime.
    {
      file: 'packages/model/src/train/probe.ts',
      code: "import { Worker } from 'node:worker_threads';",
      expect: 'clean',
    },
    {
      file: 'packages/model/src/onnx/load.ts',
      code: "import { InferenceSession } from 'onnxruntime-node';",
      expect: 'clean',
    },
    // The rule against deep imports holds everywhere, the pure packages included: a later config
    // entry for the same rule replaces an earlier one's options, so the entries must not drift.
    ...[
      'packages/indicators/src/probe.ts',
      'packages/model/src/probe.ts',
      'packages/contracts/src/probe.ts',
      'packages/platform/src/probe.ts',
      'services/gateway/src/probe.ts',
    ].map((file) => ({
      file,
      code: "import { x } from '@tickstream/marketdata/src/symbols';",
      expect: 'error' as const,
    })),
    {
      file: 'services/orders/src/probe.ts',
      code: "import { x } from '../../gateway/src/main';",
      expect: 'error',
    },
    // Services may do I/O.
    { file: 'services/gateway/src/probe.ts', code: "import fs from 'node:fs';", expect: 'clean' },
    // The gateway's layers (GATEWAY_LAYERS): the cycles auth <-> accounts, auth <-> ratelimit and
    // the floor importing http/, market <-> sockets cannot come back.
    ...[
      ['services/gateway/src/auth/probe.ts', "import { setRole } from '../accounts/roles';"],
      ['services/gateway/src/auth/probe.ts', "import { createApiRouter } from '../http';"],
      ['services/gateway/src/ratelimit/probe.ts', "import { requireAuth } from '../auth/middleware';"],
      ['services/gateway/src/users/probe.ts', "import type { TokenService } from '../auth';"],
      ['services/gateway/src/request/probe.ts', "import { rateLimitSettings } from '../http/config';"],
      ['services/gateway/src/orders/probe.ts', "import { openApiDocument } from '../http/openapi';"],
      ['services/gateway/src/request/probe.ts', "import { x } from '@tickstream/marketdata/src/symbols';"],
      ['services/gateway/src/sockets/probe.ts', "import type { SnapshotStore } from '../market/snapshots';"],
    ].map(([file, code]) => ({ file: file!, code: code!, expect: 'error' as const })),
    ...[
      ['services/gateway/src/accounts/probe.ts', "import { requireAuth } from '../auth';"],
      ['services/gateway/src/auth/probe.ts', "import { getUser } from '../users';"],
      ['services/gateway/src/ratelimit/probe.ts', "import { authOf } from '../request';"],
      ['services/gateway/src/accounts/probe.ts', "import { ordersApi } from '../orders/service-client';"],
      ['services/gateway/src/market/probe.ts', "import { symbolRoom } from '../sockets/server';"],
      ['services/gateway/src/http/probe.ts', "import { accountRoutes } from '../accounts/routes';"],
    ].map(([file, code]) => ({ file: file!, code: code!, expect: 'clean' as const })),
  ];
  let results: string[][];

  beforeAll(() => {
    results = restrictedImports(cases.map(({ file, code }) => ({ file, code: `${code}\n` })));
  });

  it.each(cases.map((c, i) => [c.expect, c.file, c.code, i] as const))('%s: %s: %s', (outcome, _f, _c, i) => {
    const messages = results[i] ?? [];
    if (outcome === 'clean') expect(messages).toEqual([]);
    else {
      expect(messages.length).toBeGreaterThan(0);
      // A parse failure would also be a message: only the rule itself counts.
      for (const m of messages) expect(m).toMatch(/^no-restricted-imports: /);
    }
  });
});
