import type { ComponentChildren } from 'preact';
import { fmtPct, fmtPrice, tone } from '../../format';
import type { SymbolState } from '../../state/market-store';

interface Props {
  state: SymbolState;
  selected: boolean;
  first: boolean;
  last: boolean;
  onSelect: () => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

export function QuoteRow({ state, selected, first, last, onSelect, onMove, onRemove }: Props) {
  const change = state.last !== null && state.reference ? state.last / state.reference - 1 : null;
  const flash = state.direction ? `flash-${state.direction}` : '';
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect();
    } else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      onMove(e.key === 'ArrowUp' ? -1 : 1);
    } else if (e.key === 'Delete') {
      onRemove();
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const row = e.currentTarget as HTMLElement;
      const next = (
        e.key === 'ArrowUp' ? row.previousElementSibling : row.nextElementSibling
      ) as HTMLElement | null;
      next?.focus();
    }
  };
  return (
    <tr
      class={selected ? 'selected' : ''}
      tabIndex={0}
      aria-selected={selected}
      data-symbol={state.symbol}
      onClick={onSelect}
      onKeyDown={onKeyDown}
    >
      <th scope="row">{state.symbol}</th>
      <td class="num bid">{fmtPrice(state.bid)}</td>
      <td class="num ask">{fmtPrice(state.ask)}</td>
      {/* Keyed by the tick so each change restarts the flash animation. */}
      <td key={state.tick} class={`num last ${flash}`} data-testid="last">
        {fmtPrice(state.last)}
      </td>
      <td class={`num ${tone(change)}`}>{fmtPct(change)}</td>
      <td class="row-actions">
        <RowAction label={`Move ${state.symbol} up`} disabled={first} onPress={() => onMove(-1)}>
          ▲
        </RowAction>
        <RowAction label={`Move ${state.symbol} down`} disabled={last} onPress={() => onMove(1)}>
          ▼
        </RowAction>
        <RowAction label={`Remove ${state.symbol}`} onPress={onRemove}>
          ×
        </RowAction>
      </td>
    </tr>
  );
}

/**
 * An icon button of a row. Out of the tab order (the row's own keys move and remove it), and its
 * click stays off the row, which would select the symbol.
 */
function RowAction(props: {
  label: string;
  disabled?: boolean;
  onPress: () => void;
  children: ComponentChildren;
}) {
  return (
    <button
      class="icon"
      type="button"
      aria-label={props.label}
      disabled={props.disabled}
      tabIndex={-1}
      onClick={(e) => {
        e.stopPropagation();
        props.onPress();
      }}
    >
      {props.children}
    </button>
  );
}
