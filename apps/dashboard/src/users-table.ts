import type { UserDto } from '@mlapi/sdk';
import { h, onAsync } from './dom.ts';
import { client, message } from './session.ts';

type Right = 'is_active' | 'has_access_v1' | 'has_access_v2';
const rights: [Right, string][] = [
  ['is_active', 'active'],
  ['has_access_v1', 'v1'],
  ['has_access_v2', 'v2'],
];

/** Every user with checkboxes to activate, grant and revoke, and a delete button; each change is one admin call. */
export async function usersSection(me: UserDto): Promise<HTMLElement> {
  const status = h('p', { class: 'notice', id: 'users-status', role: 'status' });
  /** The outcome of the last action: green when it was done, red when the server refused it. */
  const say = (kind: 'success' | 'error', text: string) => {
    status.className = `notice ${kind}`;
    status.textContent = text;
  };
  const body = h('tbody');
  const section = h(
    'section',
    { class: 'card wide', id: 'users' },
    h('h2', {}, 'Users'),
    status,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'users' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['id', 'username', 'role', ...rights.map(([, label]) => label), ''].map((t) => h('th', {}, t)),
          ),
        ),
        body,
      ),
    ),
  );

  async function load() {
    const items: UserDto[] = [];
    // Page after page by cursor: `total` stops being exact past 10,000 users, next_cursor is null on the last page.
    for (let cursor: string | undefined; ;) {
      const page = await client.admin.list.query({ limit: 500, cursor });
      items.push(...page.items);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    body.replaceChildren(...items.map(row));
  }

  function row(user: UserDto): HTMLElement {
    const toggles = rights.map(([right, label]) => {
      const box = h('input', {
        type: 'checkbox',
        name: right,
        'aria-label': `${label} for ${user.username}`,
        checked: user[right],
      });
      onAsync(box, 'change', async () => {
        box.disabled = true;
        try {
          await client.admin.update.mutate({ user_id: user.id, [right]: box.checked });
          say('success', `${user.username}: ${label} ${box.checked ? 'granted' : 'revoked'}.`);
        } catch (err) {
          box.checked = !box.checked;
          say('error', `${user.username}: ${message(err)}`);
        } finally {
          box.disabled = false;
        }
      });
      return h('td', {}, box);
    });
    const remove = h('button', { type: 'button', class: 'danger', disabled: user.id === me.id }, 'delete');
    onAsync(remove, 'click', async () => {
      if (!window.confirm(`Delete ${user.username}? Their calls stay, without an owner.`)) return;
      try {
        await client.admin.delete.mutate({ user_id: user.id });
        say('success', `${user.username} deleted.`);
        await load();
      } catch (err) {
        say('error', `${user.username}: ${message(err)}`);
      }
    });
    return h(
      'tr',
      { 'data-user-id': user.id, 'data-username': user.username },
      h('td', {}, user.id),
      h('td', {}, user.username),
      h('td', {}, user.role),
      ...toggles,
      h('td', {}, remove),
    );
  }

  await load();
  return section;
}
