import { useObservable } from '../state/use-observable';
import { useServices } from './context';

export function ReplacedBanner() {
  const { stream } = useServices();
  const { connection } = useObservable(stream);
  if (connection.status !== 'replaced') return null;
  return (
    <div class="banner" role="alert">
      <span>
        <strong>This stream was opened in another tab/window.</strong> Prices here are paused.
      </span>
      <button class="btn primary" type="button" onClick={() => stream.reclaim()}>
        Use this tab
      </button>
    </div>
  );
}
