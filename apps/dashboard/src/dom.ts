type Child = Node | string | number | null | undefined | false;

/** `h('div', { class: 'x' }, child, …)`: a tiny element builder; text children are escaped by the DOM. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | EventListener | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children)
    if (child !== null && child !== undefined && child !== false)
      el.append(child instanceof Node ? child : String(child));
  return el;
}

export const fmt = {
  int: (n: number) => n.toLocaleString('en-US'),
  pct: (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`),
  ms: (x: number | null) => (x === null ? '—' : `${Math.round(x * 10) / 10} ms`),
  num: (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '—' : x.toFixed(digits)),
};

/** An async event handler: the page's handlers answer their own failures; one that escapes is logged, never lost. */
export function onAsync(target: EventTarget, type: string, handler: (e: Event) => Promise<void>): void {
  target.addEventListener(type, (e) => void handler(e).catch((err: unknown) => console.error(err)));
}
