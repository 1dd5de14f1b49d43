import type { User } from '@tickstream/contracts';
import { useState } from 'preact/hooks';
import { describeError } from '../../api/errors';
import { useServices } from '../context';

export function BrokerChoice() {
  const { api, auth } = useServices();
  const [broker, setBroker] = useState<User['broker']>(auth.user?.broker ?? 'SIM');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const choose = async (next: User['broker']) => {
    setMsg(null);
    try {
      const user = await api.setBroker(next);
      auth.updateUser(user);
      setBroker(user.broker);
      setMsg({
        ok: true,
        text:
          next === 'SIM' ? 'Orders now go to the simulator.' : 'Orders now go to your Alpaca paper account.',
      });
    } catch (err) {
      setMsg({ ok: false, text: describeError(err) });
    }
  };

  return (
    <fieldset class="card">
      <legend>Where orders execute</legend>
      {(['SIM', 'ALPACA'] as const).map((b) => (
        <label key={b} class="radio">
          <input
            type="radio"
            name="broker"
            value={b}
            checked={broker === b}
            onChange={() => void choose(b)}
          />
          <span>
            <strong>{b === 'SIM' ? 'Simulated broker' : 'Alpaca paper'}</strong>
            <span class="muted">
              {' '}
              {b === 'SIM'
                ? '— fills against the live simulated quotes'
                : '— needs your Alpaca paper keys below'}
            </span>
          </span>
        </label>
      ))}
      <p class={msg?.ok ? 'ok-text' : 'inline-error'} role="status">
        {msg?.text}
      </p>
    </fieldset>
  );
}
