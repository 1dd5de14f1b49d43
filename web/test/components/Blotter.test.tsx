/** @jest-environment jsdom */
import { fireEvent, screen } from '@testing-library/preact';
import { Blotter } from '../../src/components/blotter/Blotter';
import { renderWithServices } from '../support/render';
import { settle, testServices } from '../support/services';

function mount() {
  const t = testServices();
  const view = renderWithServices(t.services, <Blotter />);
  return { t, view };
}

beforeEach(() => localStorage.clear());

it('opens on the tab the trader left it on, after a reload', async () => {
  const first = mount();
  expect(screen.getByRole('tab', { selected: true }).textContent).toMatch(/^Positions/);
  fireEvent.click(screen.getByRole('tab', { name: 'Orders & fills' }));
  await settle();
  expect(screen.getByRole('tab', { selected: true }).textContent).toBe('Orders & fills');
  first.view.unmount();
  mount();
  expect(screen.getByRole('tab', { selected: true }).textContent).toBe('Orders & fills');
});
