// wrap-ansi 6 (the version cli-table3's and @inquirer's string-width 4 line belongs to) ships no declarations.
declare module 'wrap-ansi' {
  export default function wrapAnsi(
    input: string,
    columns: number,
    options?: { hard?: boolean; trim?: boolean; wordWrap?: boolean },
  ): string;
}
