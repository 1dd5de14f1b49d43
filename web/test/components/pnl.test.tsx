/** @jest-environment jsdom */
import { fireEvent, screen } from '@testing-library/preact';
import { Blotter } from '../../src/components/blotter/Blotter';
import { Header } from '../../src/components/Header';
import { renderWithServices } from '../support/render';
import { ACCOUNT, position, quote, settle, testServices } from '../support/services';

const text = (id: string) => screen.getByTestId(id).textContent;

/** The header and the blotter, the places that show P&L, with the books loaded. */
async function showPnl(t: ReturnType<typeof testServices>): Promise<void> {
  renderWithServices(
    t.services,
    <>
      <Header onSettings={() => undefined} />
      <Blotter />
    </>,
  );
  await t.services.trading.refresh();
  await settle();
}

// The order service valued the books at its last mark (bid 263.82: +$0.02 on 1 share bought at
// 263.80) while the stream already shows a lower bid: every figure must follow the one mark.
it('shows one unrealized P&L in the header, the positions and the account while quotes move', async () => {
  const t = testServices({
    data: {
      positions: [position('AAPL', 1, 263.8, 263.82), position('MSFT', -2, 410, 410.5)],
      account: { ...ACCOUNT, realizedToday: 12.5, unrealized: 0.02 - 1, grossExposure: 1084.82 },
    },
  });
  await showPnl(t);
  const rows = () =>
    screen.getAllByTestId('position-unrealized').map((el) => Number(el.textContent!.replace(/[$,]/g, '')));

  const moves: [number, number, number, number][] = [
    [263.79, 263.81, 410.2, 410.4],
    [263.75, 263.77, 409.9, 410.1],
    [263.9, 263.93, 411.0, 411.2],
  ];
  for (const [aBid, aAsk, mBid, mAsk] of moves) {
    t.deliver('quote', quote('AAPL', aBid, aAsk));
    t.deliver('quote', quote('MSFT', mBid, mAsk));
    await settle();
    const aapl = aBid - 263.8; // a long is marked at the bid
    const msft = (mAsk - 410) * -2; // a short at the ask
    const total = aapl + msft;
    const usd = (n: number) =>
      n.toLocaleString('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
    expect(rows()).toEqual([Number(aapl.toFixed(2)), Number(msft.toFixed(2))]);
    expect(text('header-unrealized')).toBe(usd(total));
    expect(text('day-pnl')).toBe(usd(12.5 + total));
    fireEvent.click(screen.getByRole('tab', { name: 'Account' }));
    await settle();
    expect(text('account-unrealized')).toBe(text('header-unrealized'));
    expect(text('account-exposure')).toBe(text('header-exposure'));
    expect(text('header-exposure')).toBe(usd(1 * aBid + 2 * mAsk));
    fireEvent.click(screen.getByRole('tab', { name: /Positions/ }));
    await settle();
  }
});

it('falls back to the order service mark for a symbol the stream has not quoted', async () => {
  const t = testServices({ data: { positions: [position('IBM', 10, 200, 201)] } });
  await showPnl(t);
  expect(text('header-unrealized')).toBe('$10.00');
  expect(screen.getByTestId('position-unrealized').textContent).toBe('$10.00');
});
