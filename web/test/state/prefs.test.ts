import { PrefsStore } from '../../src/state/prefs';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

it('starts with no quantity, the default overlays and the positions tab', () => {
  const p = new PrefsStore('u1', memoryStorage());
  expect(p.qtyFor('AAPL')).toBe('');
  expect(p.value.overlays).toEqual({ sma: true, ema: false, bollinger: true });
  expect(p.value.blotterTab).toBe('positions');
});

it('keeps quantities per symbol, overlays and the tab across a reload, per user', () => {
  const storage = memoryStorage();
  const before = new PrefsStore('u1', storage);
  before.rememberQty('AAPL', '3');
  before.rememberQty('MSFT', '0.5');
  before.setOverlays({ sma: false, ema: true, bollinger: false });
  before.setBlotterTab('orders');
  const after = new PrefsStore('u1', storage);
  expect([after.qtyFor('AAPL'), after.qtyFor('MSFT'), after.qtyFor('TSLA')]).toEqual(['3', '0.5', '']);
  expect(after.value.overlays).toEqual({ sma: false, ema: true, bollinger: false });
  expect(after.value.blotterTab).toBe('orders');
  expect(new PrefsStore('u2', storage).qtyFor('AAPL')).toBe('');
});

it('ignores what it cannot read and survives storage that refuses writes', () => {
  const storage = memoryStorage();
  storage.setItem(
    'tickstream.prefs.v1.u1',
    '{"qty":{"AAPL":"1e9x"},"blotterTab":"nope","overlays":{"sma":"yes"}}',
  );
  const p = new PrefsStore('u1', storage);
  expect(p.qtyFor('AAPL')).toBe('');
  expect(p.value.blotterTab).toBe('positions');
  expect(p.value.overlays.sma).toBe(true);
  const full = new PrefsStore('u3', {
    getItem: () => null,
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
  });
  full.setBlotterTab('account');
  expect(full.value.blotterTab).toBe('account');
});
