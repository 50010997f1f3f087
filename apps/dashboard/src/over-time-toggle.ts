import { h } from './dom.ts';
import { message } from './session.ts';

/**
 * A closed "over time" section whose chart is fetched the first time it is opened (one request, not one per load of
 * the page); a failure is shown in it, and opening it again retries.
 */
export function overTimeToggle(load: () => Promise<HTMLElement>): HTMLDetailsElement {
  const details = h('details', { class: 'per-day-toggle' }, h('summary', {}, 'over time'));
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    details.querySelectorAll('.notice.error').forEach((old) => old.remove());
    const slot = h('p', { class: 'loading' }, 'Loading…');
    details.append(slot);
    load().then(
      (chart) => slot.replaceWith(chart),
      (err: unknown) => {
        loaded = false;
        slot.replaceWith(h('p', { class: 'notice error', role: 'alert' }, message(err)));
      },
    );
  });
  return details;
}
