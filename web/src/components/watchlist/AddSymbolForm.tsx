import { useState } from 'preact/hooks';
import { describeError } from '../../api/errors';
import { checkSymbol } from '../../state/watchlist-store';
import { useServices } from '../context';

export function AddSymbolForm({ listId }: { listId: string }) {
  const { watchlists } = useServices();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const problem = checkSymbol(value);
    if (problem) return setError(problem);
    setBusy(true);
    try {
      await watchlists.addSymbol(listId, value);
      setValue('');
      setError(null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
    return undefined;
  };

  return (
    <form class="row-form add-symbol" onSubmit={submit} noValidate>
      <label class="sr-only" for="add-symbol">
        Add symbol
      </label>
      <input
        id="add-symbol"
        placeholder="Add symbol, e.g. MSFT"
        autoComplete="off"
        spellcheck={false}
        maxLength={10}
        value={value}
        aria-invalid={!!error}
        aria-describedby="add-symbol-error"
        onInput={(e) => {
          setValue(e.currentTarget.value.toUpperCase());
          setError(null);
        }}
      />
      <button class="btn" type="submit" disabled={busy}>
        Add
      </button>
      <p id="add-symbol-error" class="inline-error" role="alert">
        {error}
      </p>
    </form>
  );
}
