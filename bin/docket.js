#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// `docket ... | head` closes the pipe early; that is the reader's choice, not a failure.
// Any other stdout error reaches the command that was writing (its pipeline rejects), which reports it.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv);
