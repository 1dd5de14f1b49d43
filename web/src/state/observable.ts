type Listener = () => void;

/** A value that components and services can watch; `set` merges and notifies. */
export class Observable<T extends object> {
  private listeners = new Set<Listener>();

  constructor(protected current: T) {}

  get value(): T {
    return this.current;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  protected set(patch: Partial<T>): void {
    this.current = { ...this.current, ...patch };
    this.notify();
  }

  protected notify(): void {
    for (const fn of this.listeners) fn();
  }
}
