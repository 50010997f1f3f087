import type { Em } from './orm.ts';

/**
 * An EntityManager that forks on first use: a request whose procedure never touches the ORM (a model call, which
 * reads and writes through plain SQL) skips the fork (≈ 5 µs and a dozen objects). It stands in for the fork
 * everywhere: property reads, method calls (bound to the real fork), writes, `in` and `instanceof`.
 */
export function lazyFork(fork: () => Em): Em {
  let em: Em | undefined;
  const real = () => (em ??= fork());
  return new Proxy(Object.create(null) as Em, {
    get(_target, property) {
      const target = real();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_target, property, value) => Reflect.set(real(), property, value),
    has: (_target, property) => Reflect.has(real(), property),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
