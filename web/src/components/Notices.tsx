import { useObservable } from '../state/use-observable';
import { useServices } from './context';

/**
 * Order results and errors, announced to screen readers as they come (aria-live). The store
 * keeps at most three and fades the successes; the stylesheet places them where they cannot
 * cover the blotter (over the chart's lower corner, or in the page's flow on a phone).
 */
export function Notices() {
  const { trading } = useServices();
  const { notices } = useObservable(trading);
  return (
    <div class="toasts" aria-live="polite" aria-relevant="additions" data-testid="toasts">
      {notices.map((n) => (
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
