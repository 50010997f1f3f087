import { isMlapiError, type UserDto } from '@mlapi/sdk';
import { h } from './dom.ts';
import { modelMetricsSection } from './model-metrics.ts';
import { client, signIn, signOut } from './session.ts';
import { usageSections, type UsageFilters } from './usage.ts';
import { usersSection } from './users-table.ts';
import './style.css';

const app = document.querySelector<HTMLElement>('#app')!;
const message = (err: unknown) => (isMlapiError(err) ? err.message : String(err));

function loginView(error?: string, previous = '') {
  const username = h('input', { id: 'username', name: 'username', type: 'email', autocomplete: 'username', required: true, placeholder: 'superuser@example.com', value: previous });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card login' },
    h('h1', {}, 'mlapi dashboard'),
    h('label', {}, 'Username', username),
    h('label', {}, 'Password', password),
    h('button', { type: 'submit' }, 'Sign in'),
    error ? h('p', { class: 'error', role: 'alert' }, error) : null,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await signIn(username.value, password.value);
      await start();
    } catch (err) {
      loginView(message(err), username.value);
    }
  });
  app.replaceChildren(form);
}

function controls(f: UsageFilters, onChange: (f: UsageFilters) => void): HTMLElement {
  const browserTz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const select = (name: string, options: [string, string][], value: string) =>
    h('select', { name }, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
  const days = select('days', [['7', 'last 7 days'], ['30', 'last 30 days'], ['90', 'last 90 days'], ['365', 'last year']], String(f.days));
  const service = select('service', [['', 'both services'], ['v1', 'v1 only'], ['v2', 'v2 only']], f.service);
  const tz = select('tz', [...new Set(['UTC', browserTz])].map((z): [string, string] => [z, z]), f.tz);
  const form = h('form', { class: 'controls' }, days, service, tz);
  form.addEventListener('change', () => onChange({ days: Number(days.value), service: service.value as UsageFilters['service'], tz: tz.value }));
  return form;
}

async function dashboard(me: UserDto, f: UsageFilters) {
  const width = Math.min(620, Math.max(320, Math.floor((app.clientWidth || 1280) / 2) - 60));
  const out = h('button', { type: 'button', class: 'link' }, 'sign out');
  out.addEventListener('click', () => {
    signOut();
    loginView();
  });
  const header = h('header', {}, h('h1', {}, 'mlapi dashboard'), controls(f, (next) => void dashboard(me, next)), h('span', { class: 'who' }, `${me.username} · `, out));
  const grid = h('div', { class: 'grid' }, h('p', { class: 'loading' }, 'Loading…'));
  app.replaceChildren(header, grid);
  try {
    const [usage, metrics, users] = await Promise.all([usageSections(f, width), modelMetricsSection(f.days, width), usersSection(me)]);
    grid.replaceChildren(...usage, metrics, users);
  } catch (err) {
    grid.replaceChildren(h('p', { class: 'error', role: 'alert' }, message(err)));
  }
}

async function start() {
  if (!client.token) return loginView();
  let me: UserDto;
  try {
    me = await client.user.me.query();
  } catch (err) {
    signOut();
    return loginView(isMlapiError(err) && err.code === 'UNAUTHORIZED' ? 'Your session has expired: sign in again.' : message(err));
  }
  if (me.role !== 'admin') {
    signOut();
    return loginView(`${me.username} is not an admin: the dashboard is for admins.`);
  }
  await dashboard(me, { days: 30, service: '', tz: 'UTC' });
}

void start();
