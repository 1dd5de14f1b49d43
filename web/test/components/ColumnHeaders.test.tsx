/** @jest-environment jsdom */
import { render } from '@testing-library/preact';
import { ColumnHeaders } from '../../src/components/ColumnHeaders';

describe('ColumnHeaders', () => {
  it('renders one scoped heading a column, with its classes and title, screen-reader-only where asked', () => {
    const { container } = render(
      <table>
        <ColumnHeaders
          columns={[
            { label: 'Symbol' },
            { label: 'Qty', class: 'num wide-only', title: 'Shares' },
            false,
            { label: 'Cancel', srOnly: true },
          ]}
        />
      </table>,
    );
    expect(container.querySelector('thead')!.outerHTML).toBe(
      '<thead><tr><th scope="col">Symbol</th><th scope="col" class="num wide-only" title="Shares">Qty</th>' +
        '<th scope="col"><span class="sr-only">Cancel</span></th></tr></thead>',
    );
  });
});
