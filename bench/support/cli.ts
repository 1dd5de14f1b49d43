/**
 * Runs a bench's main and exits: 0 when it resolves (clients it leaves open, a Kafka consumer
 * say, would otherwise keep the process alive), 1 with the error printed when it rejects.
 */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** The number after `--name` on the command line, else `fallback`. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
