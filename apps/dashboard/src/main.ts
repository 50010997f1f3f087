import type { UserDto } from '@mlapi/sdk';
import { h, onAsync } from './dom.ts';
import { driftSection } from './drift-panel.ts';
import { modelMetricsSection, type TimeWindow } from './model-metrics.ts';
import { modelsSection } from './models-panel.ts';
import { client, isUnauthorizedError, message, onSessionExpired, signIn, signOut } from './session.ts';
import { usageSections, type UsageFilters } from './usage.ts';
import { usersSection } from './users-table.ts';
import './style.css';

const app = document.querySelector<HTMLElement>('#app')!;
const expiredMessage = 'session expired: sign in again';

/** The last username signed in, so that a session that expired comes back with it filled in. */
let lastUsername = '';

function loginView(error?: string, previous = lastUsername) {
  const username = h('input', {
    id: 'username',
    name: 'username',
    type: 'email',
    autocomplete: 'username',
    required: true,
    placeholder: 'superuser@example.com',
    value: previous,
  });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const form = h(
    'form',
    { class: 'card login' },
    h('h1', {}, 'mlapi dashboard'),
    h('label', {}, 'Username', username),
    h('label', {}, 'Password', password),
    h('button', { type: 'submit' }, 'Sign in'),
    error ? h('p', { class: 'notice error', role: 'alert' }, error) : null,
  );
  onAsync(form, 'submit', async (e) => {
    e.preventDefault();
    try {
      await signIn(username.value, password.value);
      await start();
    } catch (err) {
      loginView(message(err), username.value);
    }
  });
  app.replaceChildren(form);
  (previous ? password : username).focus();
}

// Any 401 on a call made with the signed-in token (see session.ts) lands here, whatever the page was doing.
onSessionExpired(() => loginView(expiredMessage));

function controls(f: UsageFilters, onChange: (f: UsageFilters) => void): HTMLElement {
  const browserTz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const select = (name: string, label: string, options: [string, string][], value: string) =>
    h(
      'select',
      { name, 'aria-label': label },
      ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
    );
  const days = select(
    'days',
    'time window',
    [
      ['7', 'last 7 days'],
      ['30', 'last 30 days'],
      ['90', 'last 90 days'],
      ['365', 'last year'],
    ],
    String(f.days),
  );
  const service = select(
    'service',
    'service',
    [
      ['', 'both services'],
      ['v1', 'v1 only'],
      ['v2', 'v2 only'],
    ],
    f.service,
  );
  const tz = select(
    'tz',
    'time zone',
    [...new Set(['UTC', browserTz])].map((z): [string, string] => [z, z]),
    f.tz,
  );
  const read = (): UsageFilters => ({
    days: Number(days.value),
    service: service.value as UsageFilters['service'],
    tz: tz.value,
  });
  const refresh = h('button', { type: 'button', name: 'refresh' }, 'refresh');
  refresh.addEventListener('click', () => onChange(read()));
  const form = h('form', { class: 'controls' }, days, service, tz, refresh);
  form.addEventListener('change', () => onChange(read()));
  return form;
}

async function dashboard(me: UserDto, f: UsageFilters) {
  const out = h('button', { type: 'button', class: 'link' }, 'sign out');
  out.addEventListener('click', () => {
    signOut();
    loginView();
  });
  const header = h(
    'header',
    {},
    h('h1', {}, 'mlapi dashboard'),
    controls(f, (next) => void dashboard(me, next)),
    h('span', { class: 'who' }, `${me.username} · `, out),
  );
  const grid = h('div', { class: 'grid' }, h('p', { class: 'loading' }, 'Loading…'));
  app.replaceChildren(header, grid);
  // One window for every section, so that the calls and the model metrics cover exactly the same time.
  const now = Date.now();
  const range: TimeWindow = {
    from: new Date(now - f.days * 86_400_000).toISOString(),
    to: new Date(now).toISOString(),
  };
  try {
    const [usage, metrics, drift, models, users] = await Promise.all([
      usageSections(f, range),
      modelMetricsSection(f.service, range),
      driftSection(f.service, range),
      modelsSection(),
      usersSection(me),
    ]);
    grid.replaceChildren(...usage, metrics, drift, models, users);
  } catch (err) {
    // A 401 has already brought the sign-in form back (session.ts); anything else is shown where the data would be.
    if (!isUnauthorizedError(err)) grid.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, message(err)));
  }
}

async function start() {
  if (!client.token) return loginView();
  let me: UserDto;
  try {
    me = await client.user.me.query();
  } catch (err) {
    signOut();
    return loginView(isUnauthorizedError(err) ? expiredMessage : message(err));
  }
  if (me.role !== 'admin') {
    signOut();
    return loginView(`${me.username} is not an admin: the dashboard is for admins.`);
  }
  lastUsername = me.username;
  await dashboard(me, { days: 30, service: '', tz: 'UTC' });
}

void start();
