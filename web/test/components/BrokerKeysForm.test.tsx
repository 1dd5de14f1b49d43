/** @jest-environment jsdom */
import type { BrokerKeysSaved } from '@tickstream/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { ApiError } from '../../src/api/errors';
import { BrokerKeysForm } from '../../src/components/settings/BrokerKeysForm';
import { renderWithServices } from '../support/render';
import { testServices } from '../support/services';

function mount(save: () => Promise<BrokerKeysSaved>) {
  const t = testServices();
  Object.assign(t.services.api, { brokerKeys: async () => null, saveBrokerKeys: save });
  renderWithServices(t.services, <BrokerKeysForm />);
  fireEvent.input(screen.getByLabelText('Key ID'), { target: { value: 'PKFAKE1234567890' } });
  fireEvent.input(screen.getByLabelText('Secret key'), { target: { value: 'fake-secret-0123456789abcdef' } });
  fireEvent.click(screen.getByRole('button', { name: 'Check and store keys' }));
  return t;
}

it('says what the checked keys opened and shows the paper badge', async () => {
  mount(async () => ({
    keyIdMasked: 'PK****7890',
    paper: true,
    updatedAt: '2026-12-03T08:00:00.000Z',
    account: { status: 'ACTIVE', currency: 'USD', buyingPower: '25000.00', tradingBlocked: false },
  }));
  await waitFor(() =>
    expect(screen.getByRole('status').textContent).toBe(
      'Keys checked with Alpaca and stored, encrypted: paper account active, buying power $25,000.00.',
    ),
  );
  expect(screen.getByTestId('keys-badge').textContent).toBe('Paper');
});

it('shows why keys were not stored when Alpaca cannot be reached', async () => {
  mount(async () => {
    throw new ApiError(
      503,
      'BROKER_UNREACHABLE',
      'Alpaca (paper) could not be reached to check the keys; they were not stored. Try again shortly',
    );
  });
  await waitFor(() =>
    expect(screen.getByRole('status').textContent).toBe(
      'Alpaca (paper) could not be reached to check the keys; they were not stored. Try again shortly.',
    ),
  );
  expect(screen.getByText('No keys stored.')).toBeTruthy();
});
