import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

// What makes a suite an integration suite: it starts processes (a service, a broker, a cluster,
// the whole platform). scripts/test.mjs runs `*.int.test.ts` one at a time after the rest; a
// suite that starts processes under another name would compete for the two cores in the
// parallel run, and one named `.int` that starts none would only be slower.
const STARTS_PROCESSES =
  /startService\(|startGatewayAndOrders\(|startReplicaPair\(|spawn\('sh'|ordersHarness\(|suiteOrdersHarness\(|privateKafka\(|privateCluster\(|cluster-up|'run', 'up'|spawn\(process\.execPath|spawn\('java'/;

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return ['node_modules', 'dist'].includes(e.name) ? [] : testFiles(rel);
    return /\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

describe('integration suites', () => {
  const files = ['packages', 'services', 'test', 'web']
    .flatMap(testFiles)
    .filter((f) => !f.startsWith('test/e2e/') && f !== 'test/lint/int-tests.test.ts');

  it('are the suites that start processes, and are named *.int.test.ts', () => {
    const misnamed = files.filter(
      (f) =>
        STARTS_PROCESSES.test(fs.readFileSync(path.join(ROOT, f), 'utf8')) !== f.endsWith('.int.test.ts'),
    );
    expect(misnamed).toEqual([]);
  });

  it('are found (the rule above is not vacuous)', () => {
    expect(files.filter((f) => f.endsWith('.int.test.ts')).length).toBeGreaterThan(20);
  });
});
