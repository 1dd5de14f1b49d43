/** @jest-environment jsdom */
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { ApiError } from '../../src/api/errors';
import { OrderTicket } from '../../src/components/ticket/OrderTicket';
import { renderWithServices } from '../support/render';
import { position, quote, settle, testServices } from '../support/services';

function setup(opts: Parameters<typeof testServices>[0] = {}) {
  const t = testServices(opts);
  t.services.watchlists.selectSymbol('AAPL');
  renderWithServices(t.services, <OrderTicket />);
  return t;
}

const qtyField = () => screen.getByLabelText('Quantity') as HTMLInputElement;
const submit = () => document.querySelector('button.submit') as HTMLButtonElement;
const reason = () => screen.getByTestId('ticket-reason').textContent;

async function ready(t: ReturnType<typeof testServices>) {
  t.deliver('quote', quote('AAPL', 263.8, 263.82));
  await t.services.trading.refresh();
  await settle();
}

beforeEach(() => localStorage.clear());

it('starts with an empty quantity and a disabled button that says why', async () => {
  const t = setup();
  await ready(t);
  expect(qtyField().value).toBe('');
  expect(submit().disabled).toBe(true);
  expect(reason()).toBe('Enter a quantity.');
  expect(screen.getByTestId('buying-power').textContent).toBe('$200,000.00');
});

it('disables Buy for 10,000,000 shares with the limit in words, and never sends it', async () => {
  const t = setup();
  await ready(t);
  fireEvent.input(qtyField(), { target: { value: '10000000' } });
  await settle();
  expect(submit().disabled).toBe(true);
  expect(reason()).toBe('10,000,000 shares is more than your limit of 10,000 shares per order.');
  fireEvent.submit(submit().form!);
  await settle();
  expect(t.placed).toEqual([]);
});

it('asks before selling more than the position, and sends only after the trader confirms', async () => {
  const t = setup({ data: { positions: [position('AAPL', 1, 250)] } });
  await ready(t);
  fireEvent.click(screen.getByRole('radio', { name: /^Sell/ }));
  fireEvent.input(qtyField(), { target: { value: '5' } });
  await settle();
  fireEvent.click(submit());
  await settle();
  expect(t.placed).toEqual([]);
  expect(screen.getByRole('alertdialog').textContent).toMatch(
    /You hold 1 AAPL\. Selling 5 .* short position of 4 shares/,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Confirm sell 5 AAPL' }));
  await waitFor(() => expect(t.placed).toHaveLength(1));
  expect(t.placed[0]).toMatchObject({ symbol: 'AAPL', side: 'SELL', qty: 5 });
});

it('shows a server refusal as a sentence, not as validation text', async () => {
  const t = setup({
    data: {
      placeError: new ApiError(400, 'VALIDATION_FAILED', 'invalid request body', null, [
        { path: 'qty', message: 'Number must be less than or equal to 1000000' },
      ]),
    },
  });
  await ready(t);
  fireEvent.input(qtyField(), { target: { value: '3' } });
  await settle();
  fireEvent.click(submit());
  await waitFor(() =>
    expect(screen.getByTestId('order-result').textContent).toBe(
      'Order not sent: Quantity can be at most 1,000,000.',
    ),
  );
});

it('remembers the last quantity sent for each symbol', async () => {
  const t = setup();
  await ready(t);
  fireEvent.input(qtyField(), { target: { value: '7' } });
  await settle();
  fireEvent.click(submit());
  await waitFor(() => expect(t.placed).toHaveLength(1));
  t.services.watchlists.selectSymbol('MSFT');
  await settle();
  expect(qtyField().value).toBe('');
  t.services.watchlists.selectSymbol('AAPL');
  await settle();
  expect(qtyField().value).toBe('7');
  // A new page (a reload) reads it back from storage.
  expect(t.services.prefs.qtyFor('AAPL')).toBe('7');
});

it('retries an unanswered order under the same id, but an edited or refused one under a new id', async () => {
  const t = setup({
    data: { placeError: new ApiError(503, 'ORDERS_UNAVAILABLE', 'order entry is unavailable', 2) },
  });
  await ready(t);
  fireEvent.input(qtyField(), { target: { value: '3' } });
  await settle();
  const send = async () => {
    fireEvent.click(submit());
    await waitFor(() => expect(submit().disabled).toBe(false));
    await settle();
  };
  const idOf = (i: number) => (t.placed[i] as { client_order_id: string }).client_order_id;
  await send();
  // Not known to be placed: the same terms go again under the same id (the server dedupes).
  await send();
  expect(idOf(1)).toBe(idOf(0));
  // Other terms are another order: a new id, or the server would answer 409 CLIENT_ORDER_ID_REUSED.
  fireEvent.input(qtyField(), { target: { value: '4' } });
  await settle();
  await send();
  expect(idOf(2)).not.toBe(idOf(1));
  // A definite refusal placed nothing: sending the same terms again is a new order.
  t.data.placeError = new ApiError(403, 'RISK_REJECTED', 'over the notional limit');
  await send();
  expect(idOf(3)).toBe(idOf(2));
  await send();
  expect(idOf(4)).not.toBe(idOf(3));
});
