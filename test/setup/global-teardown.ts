// Nothing to undo: tests use unique topic prefixes and their own database rows.
export default async function globalTeardown(): Promise<void> {}
