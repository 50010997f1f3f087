import { v2FeatureNames } from '@mlapi/schemas';
import { parse as parseCsv } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRoot } from './helpers.ts';

const repo = join(cliRoot, '..', '..');
const readmes = ['README.md', 'apps/cli/README.md'];

/** The `mlapi` command lines in a Markdown file's fenced code blocks. */
function commandLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```(?:bash|sh|shell)?\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split('\n')).filter((l) => /^(npx )?mlapi /.test(l.trim()));
}

/** The files a command line reads: `--file X`, `-f X`, `< X` (the comment after `#` left out). */
function filesRead(line: string): string[] {
  const code = line.replace(/\s#.*$/, '');
  return [...code.matchAll(/(?:--file|-f)[ =](\S+)|<\s*(\S+)/g)].map((m) => (m[1] ?? m[2])!);
}

describe('the README examples', () => {
  const examples = readmes.flatMap((readme) =>
    commandLines(readFileSync(join(repo, readme), 'utf8')).flatMap((line) =>
      filesRead(line).map((path) => ({ readme, line, path })),
    ),
  );

  it('include commands that read files (the check below has something to check)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.map((e) => e.path)).toContain('examples/houses.csv');
  });

  it.each(examples)('$readme: `$line` finds $path (run from the repository root)', ({ path }) => {
    expect(existsSync(join(repo, path))).toBe(true);
  });

  it('examples/houses.csv has the 12 v2 feature columns and real rows', () => {
    const rows = parseCsv<Record<string, string>>(readFileSync(join(repo, 'examples', 'houses.csv'), 'utf8'), {
      columns: true,
    });
    expect(Object.keys(rows[0]!)).toEqual([...v2FeatureNames]);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) for (const v of Object.values(row)) expect(Number.isFinite(Number(v))).toBe(true);
  });

  it('examples/mails.jsonl holds one {"text": …} mail per line, with a subject and a body', () => {
    const mails = readFileSync(join(repo, 'examples', 'mails.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string });
    expect(mails.length).toBeGreaterThanOrEqual(4);
    for (const mail of mails) expect(mail.text).toMatch(/^Subject: .+\n\n.{40,}/s);
  });

  it('no example passes a literal backslash-n inside double quotes (bash sends it as two characters)', () => {
    for (const readme of readmes)
      for (const line of commandLines(readFileSync(join(repo, readme), 'utf8')))
        expect(line).not.toMatch(/"[^"]*\\n[^"]*"/);
  });
});
