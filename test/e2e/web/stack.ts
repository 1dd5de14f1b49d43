import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { TEST_ENV } from '../../support/env';
import { anyHealthy } from '../../support/local-stack';

export const ROOT = path.resolve(__dirname, '../../..');
export const GATEWAY = 'http://127.0.0.1:8080';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');

/**
 * `npm run up` under its own topics, database and Redis keys, as test/e2e/up.test.ts does; a
 * stack already running (a developer's) is reused and left alone. Returns a stop function.
 */
export async function startStack(label: string): Promise<() => void> {
  const startedHere = !(await anyHealthy());
  const stamp = Date.now();
  const env = {
    ...process.env,
    TOPIC_PREFIX: `t-e2e-${label}-${stamp}.`,
    DATABASE_URL: TEST_ENV.DATABASE_URL,
    REDIS_KEY_PREFIX: `ts-e2e-${label}-${stamp}:`,
  };
  const r = spawnSync('npm', ['run', 'up'], { cwd: ROOT, encoding: 'utf8', timeout: 240000, env });
  if (r.status !== 0) throw new Error(`npm run up failed:\n${r.stdout}\n${r.stderr}`);
  return () => {
    if (startedHere) spawnSync('npm', ['run', 'down', '--', '--services'], { cwd: ROOT, timeout: 60000 });
  };
}

/** Debian's Chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'],
  });
}
