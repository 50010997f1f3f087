import { describe, expect, it } from 'vitest';
import { inCanary } from '../src/features/models/canary-share.ts';

const users = Array.from({ length: 20_000 }, (_, i) => i + 1);
const share = (rollout: number, percent: number) =>
  users.filter((u) => inCanary(rollout, u, percent)).length / users.length;

describe("a canary's share of users", () => {
  it('is the percent asked for, whatever the rollout', () => {
    for (const rollout of [1, 2, 3, 17, 1000])
      for (const percent of [1, 10, 50, 99])
        expect(Math.abs(share(rollout, percent) - percent / 100)).toBeLessThan(0.01);
  });

  it('is sticky per rollout, nested as the percent grows, and independent between rollouts', () => {
    expect(users.map((u) => inCanary(5, u, 10))).toEqual(users.map((u) => inCanary(5, u, 10)));
    expect(users.every((u) => !inCanary(5, u, 10) || inCanary(5, u, 20))).toBe(true);
    const both = users.filter((u) => inCanary(1, u, 10) && inCanary(2, u, 10)).length / users.length;
    expect(Math.abs(both - 0.01)).toBeLessThan(0.004);
  });
});
