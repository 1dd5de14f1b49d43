import { useEffect } from 'preact/hooks';
import { useObservable } from '../state/use-observable';
import { useServices } from './context';

const KEEP_MS = 8000;

/** Order results and errors, announced to screen readers as they come (aria-live). */
export function Notices() {
  const { trading } = useServices();
  const { notices } = useObservable(trading);
  const recent = notices.slice(0, 4);
  useEffect(() => {
    // Errors stay until dismissed; the rest fade, oldest first.
    const oldest = [...recent].reverse().find((n) => n.tone !== 'error');
    if (!oldest) return undefined;
    const t = setTimeout(() => trading.dismiss(oldest.id), Math.max(0, oldest.at + KEEP_MS - Date.now()));
    return () => clearTimeout(t);
  }, [recent.map((n) => n.id).join()]);
  return (
    <div class="toasts" aria-live="polite" aria-relevant="additions">
      {recent.map((n) => (
        <div key={n.id} class={`toast ${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button class="icon" type="button" aria-label="Dismiss" onClick={() => trading.dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
