/** The version a retrained model gets by default: the highest of the service's, its minor part + 1. */
const parse = (v: string) =>
  /^(\d+)\.(\d+)\.(\d+)/.exec(v)?.slice(1, 4).map(Number) as [number, number, number] | undefined;

export function nextMinorVersion(versions: readonly string[]): string {
  let top: [number, number, number] = [1, 0, 0];
  for (const v of versions) {
    const p = parse(v);
    if (p && (p[0] > top[0] || (p[0] === top[0] && (p[1] > top[1] || (p[1] === top[1] && p[2] > top[2]))))) top = p;
  }
  return `${top[0]}.${top[1] + 1}.0`;
}
