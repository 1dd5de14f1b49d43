// The bench's client processes (clients.ts), forked and driven over IPC.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import path from 'node:path';
import type { ClientSpec, FromClients, ToClients } from './clients';

export interface Counted {
  delivered: number;
  p50: number;
  p99: number;
}

export class ClientFleet {
  private constructor(private readonly procs: ChildProcess[]) {}

  /** Forks `n` client processes (tsx, as the bench itself runs). */
  static start(n: number): ClientFleet {
    return new ClientFleet(
      Array.from({ length: n }, () =>
        fork(path.join(__dirname, 'clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }),
      ),
    );
  }

  get pids(): number[] {
    return this.procs.map((p) => p.pid!);
  }

  /** Connects and subscribes `specs`, spread round-robin over the processes. */
  async connect(url: string, specs: ClientSpec[]): Promise<void> {
    await Promise.all(
      this.procs.map((p, k) => {
        const mine = specs.filter((_, i) => i % this.procs.length === k);
        return this.ask(p, { cmd: 'connect', url, clients: mine }, 'connected');
      }),
    );
  }

  count(): void {
    for (const p of this.procs) p.send({ cmd: 'count' } satisfies ToClients);
  }

  /** Stops counting; what every process received, latencies merged. */
  async stop(): Promise<Counted> {
    const all = await Promise.all(this.procs.map((p) => this.ask(p, { cmd: 'stop' }, 'counted')));
    const merged = new Array<number>(all[0]!.latencyMs.length).fill(0);
    let delivered = 0;
    for (const r of all) {
      delivered += r.delivered;
      r.latencyMs.forEach((n, ms) => (merged[ms]! += n));
    }
    const at = (p: number) => {
      const rank = Math.min(delivered - 1, Math.floor((p / 100) * delivered));
      let seen = 0;
      for (let ms = 0; ms < merged.length; ms++) if ((seen += merged[ms]!) > rank) return ms;
      return NaN;
    };
    return { delivered, p50: delivered ? at(50) : NaN, p99: delivered ? at(99) : NaN };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.send({ cmd: 'close' } satisfies ToClients);
          }),
      ),
    );
  }

  private ask<K extends FromClients['kind']>(
    p: ChildProcess,
    m: ToClients,
    kind: K,
  ): Promise<Extract<FromClients, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const on = (r: FromClients) => {
        if (r.kind === 'error') reject(new Error(`client process: ${r.message}`));
        else if (r.kind === kind) resolve(r as Extract<FromClients, { kind: K }>);
        else return;
        p.off('message', on);
      };
      p.on('message', on);
      p.send(m);
    });
  }
}
