import { describeIssue } from '@mlapi/schemas';
import { z } from 'zod';
import { run } from './program.ts';

// `mlapi … | head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Refused input is worded as the server words it, naming the field ("--per-minute must be a number").
z.config({ customError: describeIssue });

process.exitCode = await run(process.argv);
