#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// `docket ... | head` closes the pipe early; that is the reader's choice, not a failure.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
process.exitCode = await main(process.argv);
