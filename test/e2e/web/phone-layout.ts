/** What the phone layout check measures in the page (CSS pixels; tops are page coordinates). */
export interface PhoneLayout {
  pageWidth: number;
  /** Page tops of the watchlist, the ticket, the chart and the blotter. */
  order: number[];
  /** Page bottom of the ticket's Buy button. */
  ticketButtonBottom: number;
  keyHintShown: boolean;
  /** Elements that stick out of the viewport or out of an ancestor that clips them. */
  overflowing: string[];
}

// Runs in the browser, so it is source text: the tests' compiler settings have no DOM types.
export const PHONE_LAYOUT_PROBE = `(() => {
  const top = (sel) => document.querySelector(sel).getBoundingClientRect().top + window.scrollY;
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden';
  };
  const overflowing = [];
  for (const el of document.querySelectorAll('.app *')) {
    if (!visible(el) || el.closest('.sr-only, .skip, .chart')) continue;
    const r = el.getBoundingClientRect();
    let right = window.innerWidth;
    for (let a = el.parentElement; a; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (st.display !== 'contents' && st.overflowX !== 'visible') right = Math.min(right, a.getBoundingClientRect().right);
    }
    if (r.right > right + 1 || r.left < -1)
      overflowing.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + (el.textContent || '').trim().slice(0, 30) + '"');
  }
  return {
    pageWidth: document.documentElement.scrollWidth,
    order: ['.watch', '.ticket', '.chart-panel', '.blotter'].map(top),
    ticketButtonBottom: document.querySelector('.ticket button.submit').getBoundingClientRect().bottom + window.scrollY,
    keyHintShown: visible(document.querySelector('#quotes-help')),
    overflowing,
  };
})()`;
