import type { BrokerKeysInfo } from '@tickstream/contracts';
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../../api/errors';
import { fmtUsd } from '../../format';
import { useServices } from '../context';

export function BrokerKeysForm() {
  const { api } = useServices();
  const [info, setInfo] = useState<BrokerKeysInfo | null>(null);
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.brokerKeys().then(setInfo, (err: unknown) => setMsg({ ok: false, text: describeError(err) }));
  }, [api]);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      const saved = await api.saveBrokerKeys(keyId.trim(), secret, true);
      setInfo(saved);
      // The secret leaves the page as soon as it is stored; only the masked id is ever shown.
      setKeyId('');
      setSecret('');
      const a = saved.account;
      setMsg({
        ok: true,
        text: a
          ? `Keys checked with Alpaca and stored, encrypted: ${saved.paper ? 'paper' : 'live'} account ${a.status.toLowerCase()}, buying power ${fmtUsd(a.buyingPower)}${a.tradingBlocked ? ' (trading is blocked on it)' : ''}.`
          : 'Keys stored, encrypted.',
      });
    } catch (err) {
      setMsg({ ok: false, text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setMsg(null);
    try {
      await api.deleteBrokerKeys();
      setInfo(null);
      setMsg({ ok: true, text: 'Keys deleted. Orders go to the simulator.' });
    } catch (err) {
      setMsg({ ok: false, text: describeError(err) });
    }
  };

  return (
    <form class="card" onSubmit={save}>
      <h3>Alpaca paper keys</h3>
      {info ? (
        <p class="keys-info">
          <span class={`badge ${info.paper ? 'paper' : 'live'}`} data-testid="keys-badge">
            {info.paper ? 'Paper' : 'Live'}
          </span>
          Stored key <span class="mono">{info.keyIdMasked}</span>, updated{' '}
          {new Date(info.updatedAt).toLocaleString()}
          <button class="btn small danger" type="button" onClick={() => void remove()}>
            Delete keys
          </button>
        </p>
      ) : (
        <p class="muted">No keys stored.</p>
      )}
      <div class="fields">
        <label>
          Key ID
          <input
            autoComplete="off"
            spellcheck={false}
            value={keyId}
            pattern="[A-Za-z0-9]{10,64}"
            onInput={(e) => setKeyId(e.currentTarget.value)}
          />
        </label>
        <label>
          Secret key
          <input
            type="password"
            autoComplete="new-password"
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
          />
        </label>
      </div>
      <button class="btn primary" type="submit" disabled={busy || !keyId || !secret}>
        {busy ? 'Checking with Alpaca…' : info ? 'Replace keys' : 'Check and store keys'}
      </button>
      <p class={msg?.ok ? 'ok-text' : 'inline-error'} role="status">
        {msg?.text}
      </p>
    </form>
  );
}
