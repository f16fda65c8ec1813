// netlens CLI (dist/cli.js): runs run.ts's main on the process's arguments and streams.
import { main } from './run';

if (require.main === module) {
  // A reader that stops early (`netlens lint . | head`) closes the pipe: end quietly, not with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  // Parse workers are terminated before main() settles, so the process ends when the output is written.
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
