import { useState } from 'preact/hooks';
import { describeError } from '../../api/errors';
import { useObservable } from '../../state/use-observable';
import { useServices } from '../context';
import { PencilIcon, TrashIcon } from '../icons';

type Editing = { kind: 'create' } | { kind: 'rename'; id: string } | null;

export function WatchlistPicker() {
  const { watchlists } = useServices();
  const { lists, selectedId } = useObservable(watchlists);
  const [editing, setEditing] = useState<Editing>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (op: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await op();
      setEditing(null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const startEdit = (e: Editing) => {
    setEditing(e);
    setError(null);
    setName(e?.kind === 'rename' ? (lists.find((l) => l.id === e.id)?.name ?? '') : '');
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the watchlist a name.');
    if (editing?.kind === 'create') void run(() => watchlists.create(name));
    else if (editing?.kind === 'rename') void run(() => watchlists.rename(editing.id, name));
    return undefined;
  };

  const current = lists.find((l) => l.id === selectedId);
  return (
    <div class="picker">
      {editing ? (
        <form class="row-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && startEdit(null)}>
          <label class="sr-only" for="wl-name">
            {editing.kind === 'create' ? 'New watchlist name' : 'Watchlist name'}
          </label>
          <input
            id="wl-name"
            autoFocus
            maxLength={64}
            placeholder="Watchlist name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={!!error}
            aria-describedby="wl-error"
          />
          <button class="btn primary" type="submit" disabled={busy}>
            {editing.kind === 'create' ? 'Create' : 'Save'}
          </button>
          <button class="btn ghost" type="button" onClick={() => startEdit(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <div class="row-form">
          <label class="sr-only" for="wl-select">
            Watchlist
          </label>
          <select
            id="wl-select"
            value={selectedId ?? ''}
            onChange={(e) => watchlists.select(e.currentTarget.value)}
            disabled={lists.length === 0}
          >
            {lists.length === 0 && <option value="">No watchlists</option>}
            {lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.symbols.length})
              </option>
            ))}
          </select>
          <button
            class="btn icon-btn"
            type="button"
            title="New watchlist"
            aria-label="New watchlist"
            onClick={() => startEdit({ kind: 'create' })}
          >
            +
          </button>
          {current && (
            <>
              <button
                class="btn icon-btn"
                type="button"
                title="Rename watchlist"
                aria-label={`Rename ${current.name}`}
                onClick={() => startEdit({ kind: 'rename', id: current.id })}
              >
                <PencilIcon />
              </button>
              <button
                class="btn icon-btn danger"
                type="button"
                title="Delete watchlist"
                aria-label={`Delete ${current.name}`}
                onClick={() => {
                  if (confirm(`Delete the watchlist “${current.name}”?`))
                    void run(() => watchlists.remove(current.id));
                }}
              >
                <TrashIcon />
              </button>
            </>
          )}
        </div>
      )}
      <p id="wl-error" class="inline-error" role="alert">
        {error}
      </p>
    </div>
  );
}
