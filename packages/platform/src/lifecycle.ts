import type { Logger } from './logger';

export type LifecycleState = 'starting' | 'running' | 'stopping' | 'stopped';

type StopHook = { name: string; run: () => Promise<void> | void };

/**
 * starting -> running -> stopping -> stopped. Services register what to close as they build it;
 * `stop()` runs the hooks in reverse order (last opened, first closed), is safe to call twice or
 * concurrently (one shared promise), and readiness follows `state`.
 *
 * @example
 *   const life = new Lifecycle(log);
 *   life.onStop('consumer', () => consumer.stop());
 *   life.running();
 */
export class Lifecycle {
  state: LifecycleState = 'starting';
  private readonly hooks: StopHook[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly log: Logger) {}

  onStop(name: string, run: StopHook['run']): void {
    this.hooks.push({ name, run });
  }

  running(): void {
    if (this.state === 'starting') this.state = 'running';
  }

  get isReady(): boolean {
    return this.state === 'running';
  }

  stop(reason = 'requested'): Promise<void> {
    this.stopping ??= this.runStop(reason);
    return this.stopping;
  }

  private async runStop(reason: string): Promise<void> {
    this.state = 'stopping';
    this.log.info({ reason }, 'stopping');
    for (const hook of [...this.hooks].reverse()) {
      try {
        await hook.run();
      } catch (err) {
        this.log.error({ err, hook: hook.name }, 'error while stopping');
      }
    }
    this.state = 'stopped';
    this.log.info('stopped');
  }
}

/**
 * The only place that handles process signals: SIGTERM/SIGINT stop the lifecycle and exit 0;
 * a second signal, or a stop that takes longer than `graceMs`, exits at once.
 */
export function exitOnSignals(life: Lifecycle, log: Logger, graceMs = 20000): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    setTimeout(() => {
      log.error({ graceMs }, 'graceful stop took too long: exiting');
      process.exit(1);
    }, graceMs).unref();
    void life.stop(signal).then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Runs a service's `main`, logging a start-up failure (with the bad variable's name for config
 * errors) and exiting non-zero.
 */
export function runMain(service: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    const e = err as { code?: string; message?: string; stack?: string };
    process.stderr.write(
      `${service}: failed to start: ${e.code ? `[${e.code}] ` : ''}${e.message ?? String(err)}\n`,
    );
    if (process.env.LOG_LEVEL === 'debug' && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
}

/**
 * Runs an operator command-line tool (`npm run model`, `npm run admin`) with the arguments after
 * the script: usage errors (code `USAGE`, or parseArgs' `ERR_PARSE_ARGS_*`) print the message and
 * `usage`, exit 2; other failures print `[CODE] message`, exit 1; success exits 0.
 *
 * @example
 *   runCli(USAGE, async ([command, email]) => console.log(await run(command, email)));
 */
export function runCli(usage: string, body: (argv: string[]) => Promise<void>): void {
  body(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      const e = err as { code?: string; message?: string };
      const isUsage = e.code === 'USAGE' || (e.code ?? '').startsWith('ERR_PARSE_ARGS');
      process.stderr.write(`${isUsage ? '' : `[${e.code ?? 'ERROR'}] `}${e.message ?? String(err)}\n`);
      if (isUsage) process.stderr.write(`\n${usage}\n`);
      process.exit(isUsage ? 2 : 1);
    },
  );
}
