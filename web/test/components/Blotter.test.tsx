/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/preact';
import { Blotter } from '../../src/components/blotter/Blotter';
import { ServicesContext } from '../../src/components/context';
import { settle, testServices } from '../support/services';

function mount() {
  const t = testServices();
  const view = render(
    <ServicesContext.Provider value={t.services}>
      <Blotter />
    </ServicesContext.Provider>,
  );
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
