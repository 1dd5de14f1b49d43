/** @jest-environment jsdom */
import type { ModelInfo } from '@tickstream/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { PredictionPanel } from '../../src/components/PredictionPanel';
import { signalOf } from '../../src/state/model-info';
import { renderWithServices } from '../support/render';
import { prediction, settle, testServices } from '../support/services';

const INFO: ModelInfo = {
  version: 'rf-test-1',
  horizonBars: 5,
  heldOut: {
    rows: 24680,
    model: { accuracy: 0.5069, balancedAccuracy: 0.5067 },
    baselines: {
      majority: { accuracy: 0.5013, balancedAccuracy: 0.5 },
      previousDirection: { accuracy: 0.5024, balancedAccuracy: 0.5019 },
    },
  },
  beatsBaselines: false,
  signalBand: 0.05,
};

function mount(info: ModelInfo = INFO, role: 'trader' | 'admin' = 'trader') {
  const t = testServices({ data: { models: { [info.version]: info } }, user: { role } });
  t.services.watchlists.selectSymbol('AAPL');
  renderWithServices(t.services, <PredictionPanel />);
  return t;
}

it('calls a probability inside the band NEUTRAL', () => {
  expect(signalOf(0.504, 0.05)).toBe('NEUTRAL');
  expect(signalOf(0.55, 0.05)).toBe('NEUTRAL');
  expect(signalOf(0.551, 0.05)).toBe('UP');
  expect(signalOf(0.449, 0.05)).toBe('DOWN');
});

it('shows 50.4% as NEUTRAL, with the probability and how the model did against its baseline', async () => {
  const t = mount();
  t.deliver('prediction', prediction('AAPL', 0.504));
  await settle();
  await waitFor(() => expect(screen.getByTestId('model-trust')).toBeTruthy());
  const label = screen.getByTestId('signal');
  expect(label.textContent).toBe('● NEUTRAL');
  expect(label.className).not.toMatch(/\bpos\b/);
  expect(screen.getByText(/probability up/).textContent).toBe('50.4% probability up');
  expect(screen.getByTestId('model-trust').textContent).toBe(
    'Held-out accuracy 50.7% vs 50.2% for the previous direction baseline (24,680 predictions). It does not beat the baselines: treat its signal as noise.',
  );
});

it('shows UP beyond the band the gateway sets', async () => {
  const t = mount({ ...INFO, signalBand: 0.02, beatsBaselines: true });
  t.deliver('prediction', prediction('AAPL', 0.53));
  await settle();
  await waitFor(() => expect(screen.getByTestId('signal').textContent).toBe('▲ UP'));
  expect(screen.getByTestId('model-trust').textContent).toMatch(/Neutral within 48\.0%–52\.0%\.$/);
});

it("offers admins the model's report, fetched with their token and opened in a new tab; traders see no link", async () => {
  const trader = mount();
  trader.deliver('prediction', prediction('AAPL', 0.6));
  await settle();
  await waitFor(() => expect(screen.getByTestId('model-trust')).toBeTruthy());
  expect(screen.queryByTestId('model-report')).toBeNull();
  document.body.innerHTML = '';

  const admin = mount(INFO, 'admin');
  const fetched: string[] = [];
  admin.services.api.modelReport = async (version: string) => {
    fetched.push(version);
    return '<!doctype html><h1>report</h1>';
  };
  const blobs: Blob[] = [];
  URL.createObjectURL = (b: Blob) => {
    blobs.push(b);
    return 'blob:report-1';
  };
  URL.revokeObjectURL = () => {};
  const opened: unknown[][] = [];
  window.open = ((...args: unknown[]) => {
    opened.push(args);
    return null;
  }) as typeof window.open;
  admin.deliver('prediction', prediction('AAPL', 0.6));
  await settle();
  fireEvent.click(await screen.findByTestId('model-report'));
  await waitFor(() => expect(opened).toEqual([['blob:report-1', '_blank', 'noopener']]));
  expect(fetched).toEqual(['rf-test-1']);
  expect(blobs[0]!.type).toBe('text/html');
});
