import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The last commit whose tree still held the demo and test secrets; they are read from it so the
 * tests check the real published values without committing them again.
 */
export const LAST_COMMIT_WITH_SECRETS = '70a8ff71f5f94befaeac74933d593dac0a90033d';

/** Where each published secret sat in that commit: a file and a pattern capturing the value. */
const SOURCES: { file: string; pattern: RegExp; what: 'jwt' | 'key' | 'fill' }[] = [
  { file: 'scripts/services.mjs', pattern: /JWT_SECRET: '([^']+)'/, what: 'jwt' },
  { file: 'scripts/services.mjs', pattern: /Buffer\.alloc\(32, (\d+)\)/, what: 'fill' },
  { file: 'docker-compose.yml', pattern: /JWT_SECRET: (\S+)/, what: 'jwt' },
  { file: 'docker-compose.yml', pattern: /BROKER_KEYS_MASTER_KEY: (\S+)/, what: 'key' },
  { file: 'deploy/k8s/overlays/dev/kustomization.yaml', pattern: /JWT_SECRET=(\S+)/, what: 'jwt' },
  {
    file: 'deploy/k8s/overlays/dev/kustomization.yaml',
    pattern: /BROKER_KEYS_MASTER_KEY=(\S+)/,
    what: 'key',
  },
  { file: 'test/support/service-process.ts', pattern: /JWT_SECRET: '([^']+)'/, what: 'jwt' },
  { file: 'test/support/service-process.ts', pattern: /Buffer\.alloc\(32, (\d+)\)/, what: 'fill' },
  { file: 'services/gateway/test/http/harness.ts', pattern: /SECRET = '([^']+)'/, what: 'jwt' },
  { file: 'services/gateway/test/sockets/streams.test.ts', pattern: /SECRET = '([^']+)'/, what: 'jwt' },
  { file: 'services/gateway/test/auth/auth.test.ts', pattern: /encode\('([^']+)'\)/, what: 'jwt' },
  { file: 'services/orders/test/harness.ts', pattern: /Buffer\.alloc\(32, (\d+)\)/, what: 'fill' },
];

export interface PublishedSecret {
  where: string;
  kind: 'jwt' | 'masterKey';
  /** As it would be configured (a master key as base64). */
  value: string;
}

/** Every demo/test secret the repository published, read from git history. */
export function publishedSecrets(): PublishedSecret[] {
  return SOURCES.map(({ file, pattern, what }) => {
    const text = oldText(file);
    const found = pattern.exec(text)?.[1];
    if (!found)
      throw new Error(`${file}@${LAST_COMMIT_WITH_SECRETS.slice(0, 8)} has no match for ${pattern}`);
    const value = what === 'fill' ? Buffer.alloc(32, Number(found)).toString('base64') : found;
    return { where: file, kind: what === 'jwt' ? 'jwt' : 'masterKey', value };
  });
}

// Candidate secret strings in a text: runs of token characters (JWT-style secrets) and base64 of
// 32 or 48 bytes (keys), each checked whole; `=`, `:`, quotes and spaces end a candidate.
const CANDIDATES = [/[A-Za-z0-9._~-]{32,}/g, /[A-Za-z0-9+/]{43}=|[A-Za-z0-9+/]{64}/g];

/** The published secrets (by isPublishedSecret) that occur in `text`. */
export function publishedSecretsIn(text: string, isPublished: (s: string) => boolean): string[] {
  const found = new Set<string>();
  for (const re of CANDIDATES) for (const [m] of text.matchAll(re)) if (isPublished(m)) found.add(m);
  return [...found];
}

/** The text of `file` as it was in the last commit that held the secrets. */
export function oldText(file: string): string {
  return execFileSync('git', ['show', `${LAST_COMMIT_WITH_SECRETS}:${file}`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

/** Files of the old tree that held a published secret as a literal. */
export const FILES_WITH_SECRETS = [...new Set(SOURCES.filter((s) => s.what !== 'fill').map((s) => s.file))];
