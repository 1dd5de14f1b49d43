import { spawn } from 'node:child_process';
import path from 'node:path';
import { eventually, testKafka } from '../support/env';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, leaveGroupFor } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { freePort, startService } from '../support/service-process';

const ROOT = path.resolve(__dirname, '../..');
// Long enough that the replacement is up, and looked at, well before the broker would give up on
// the dead member by itself: the test then drops it (leaveGroupFor) instead of waiting it out.
const DEAD_SESSION_MS = 60000;

/**
 * A member of `groupId` in a process of its own: it joins, says so, then waits to be killed.
 * KafkaJS from the repository's node_modules, logged in as the admin.
 */
function groupMember(groupId: string, topic: string) {
  const cfg = JSON.stringify({ ...testKafka(), groupId, topic, sessionTimeout: DEAD_SESSION_MS });
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const { Kafka, logLevel } = require('kafkajs');
       const c = JSON.parse(process.argv[1]);
       const consumer = new Kafka({ clientId: 'doomed', brokers: c.brokers, sasl: c.sasl, logLevel: logLevel.NOTHING })
         .consumer({ groupId: c.groupId, sessionTimeout: c.sessionTimeout, heartbeatInterval: 1000 });
       consumer.on(consumer.events.GROUP_JOIN, (e) => console.log(JSON.stringify({ memberId: e.payload.memberId })));
       consumer.connect()
         .then(() => consumer.subscribe({ topic: c.topic }))
         .then(() => consumer.run({ eachBatch: async () => undefined }));`,
      cfg,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const joined = new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) =>
      resolve((JSON.parse(d.toString()) as { memberId: string }).memberId),
    );
    child.once('exit', (code) => reject(new Error(`the group member exited with ${code} before joining`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  return { joined, kill: () => (child.kill('SIGKILL'), exited) };
}

const status = (port: number, p: string) =>
  fetch(`http://127.0.0.1:${port}${p}`).then(
    async (r) => ({ status: r.status, body: (await r.json()) as { state?: string } }),
    () => undefined,
  );

// Issue 16 item 7. A features process started while its group still holds a member that died by
// SIGKILL (the case of `npm run up` right after a crash): the broker keeps the dead member until
// its session expires, and the join waits for that. The replacement must be live (/healthz)
// meanwhile, so nothing restarts it again, and report itself not ready until the group has taken
// it in. No timing is asserted: only what each endpoint says while the dead member is still there.
describe('a group member restarted while the dead one still holds its session', () => {
  let bed: KafkaTestbed;
  let features: Promise<ServiceProcess> | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('restart-crash');
  });

  afterAll(async () => {
    await (await features?.catch(() => undefined))?.stop();
    await bed?.close();
  });

  it('is live at once and ready only once the group has taken it in', async () => {
    const group = bed.names.group('features');
    const doomed = groupMember(group, bed.names.of('bars'));
    const deadMember = await doomed.joined;
    await doomed.kill();

    const port = await freePort();
    features = startService('features', { TOPIC_PREFIX: bed.prefix }, 'HEALTH_PORT', port);
    const live = await eventually(
      async () => {
        const h = await status(port, '/healthz');
        return h?.status === 200 && h;
      },
      DEAD_SESSION_MS,
      'features /healthz',
    );
    // Live while joining: up (and a liveness probe) sees the process, not a hang.
    expect(live.body.state).toBe('starting');
    const ready = await status(port, '/readyz');
    const { groups } = await bed.admin.describeGroups([group]);
    // Still waiting for the dead member: it is listed, and the replacement is not ready.
    expect(groups[0]!.members.map((m) => m.memberId)).toContain(deadMember);
    expect(ready).toEqual({ status: 503, body: expect.objectContaining({ state: 'starting' }) });

    // Once the broker dropped the dead member the join completes and the service is ready. The
    // broker would drop it when its session expires; the LeaveGroup sent for it here is that
    // expiry brought forward (the same removal, without the minute's wait).
    await leaveGroupFor(bed.kafka, group, deadMember);
    const proc = await features;
    expect((await status(proc.port, '/readyz'))?.status).toBe(200);
    const after = await bed.admin.describeGroups([group]);
    expect(after.groups[0]!.members.map((m) => m.memberId)).not.toContain(deadMember);
    expect(after.groups[0]!.members).toHaveLength(1);
  }, 120000);
});
