/** Runs a CLI body: usage errors print the usage and exit 2, other failures exit 1 with their code. */
export function runCli(usage: string, body: (argv: string[]) => Promise<void>): void {
  body(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      const e = err as { code?: string; message?: string };
      // parseArgs reports unknown or malformed options with ERR_PARSE_ARGS_* codes.
      const isUsage = e.code === 'USAGE' || (e.code ?? '').startsWith('ERR_PARSE_ARGS');
      process.stderr.write(`${isUsage ? '' : `[${e.code ?? 'ERROR'}] `}${e.message ?? String(err)}\n`);
      if (isUsage) process.stderr.write(`\n${usage}\n`);
      process.exit(isUsage ? 2 : 1);
    },
  );
}
