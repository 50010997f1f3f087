import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandIndex, createFullProgram, createProgram } from '../src/program.ts';

/** Every command of the tree, with its path. */
function commands(cmd: Command, path: string[] = []): [string, Command][] {
  return cmd.commands.flatMap((sub) => [
    [[...path, sub.name()].join(' '), sub] as [string, Command],
    ...commands(sub, [...path, sub.name()]),
  ]);
}

/** The full --help text of a command, including what addHelpText adds after it. */
function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

const full = await createFullProgram();

describe('--help', () => {
  const all = commands(full);

  it('covers every command the issue lists', () => {
    expect(all.map(([name]) => name).sort()).toEqual(
      [
        'admin',
        'admin activate',
        'admin audit',
        'admin create-admin',
        'admin dataset',
        'admin dataset export',
        'admin dataset flag',
        'admin deactivate',
        'admin delete',
        'admin drift',
        'admin grant',
        'admin quota',
        'admin revoke',
        'admin role',
        'admin stats',
        'admin users',
        'feedback',
        'history',
        'login',
        'logout',
        'metrics',
        'passwd',
        'predict',
        'predict v1',
        'predict v2',
        'register',
        'whoami',
        'keys',
        'keys create',
        'keys list',
        'keys revoke',
        'admin models',
        'admin models compare',
        'admin models deploy',
        'admin models promote',
        'admin models register',
        'admin models reload',
        'admin models retrain',
        'admin models retrain-status',
        'admin models rollback',
        'admin models versions',
        'models',
        'models show',
      ].sort(),
    );
  });

  it.each(all)('mlapi %s --help has a description and an example', (name, cmd) => {
    const help = helpOf(cmd);
    expect(cmd.description().length).toBeGreaterThan(10);
    expect(help).toMatch(new RegExp(`Examples?:\\n\\s+\\$ mlapi ${name.split(' ')[0]}`));
  });

  it('the start-up index (loaded before any command module) lists every top-level command with its own description', () => {
    const real = full.commands.map((c) => [c.name(), c.description()]);
    expect(commandIndex.map((e) => [e.name, e.description])).toEqual(real);
    expect(createProgram().commands.map((c) => [c.name(), c.description()])).toEqual(real);
  });
});
