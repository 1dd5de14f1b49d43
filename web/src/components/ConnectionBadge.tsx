import { useObservable } from '../state/use-observable';
import { useServices } from './context';

export function ConnectionBadge() {
  const { stream } = useServices();
  const { connection } = useObservable(stream);
  const [cls, text] =
    connection.status === 'live'
      ? ['ok', 'Live']
      : connection.status === 'connecting'
        ? ['wait', 'Connecting…']
        : connection.status === 'reconnecting'
          ? ['wait', `Reconnecting (${connection.attempt})…`]
          : connection.status === 'replaced'
            ? ['bad', 'Paused']
            : ['bad', 'Offline'];
  return (
    <span
      class={`conn ${cls}`}
      role="status"
      aria-live="polite"
      data-status={connection.status}
      title={connection.status === 'reconnecting' ? connection.reason : undefined}
    >
      <span class="dot" aria-hidden="true" />
      {text}
    </span>
  );
}
