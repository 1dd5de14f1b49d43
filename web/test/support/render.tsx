import { render } from '@testing-library/preact';
import type { ComponentChild } from 'preact';
import type { Services } from '../../src/components/context';
import { ServicesContext } from '../../src/components/context';

/** Renders `ui` inside the signed-in user's services, as the dashboard provides them. */
export function renderWithServices(services: Services, ui: ComponentChild): ReturnType<typeof render> {
  return render(<ServicesContext.Provider value={services}>{ui}</ServicesContext.Provider>);
}
