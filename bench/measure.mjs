/**
 * `node bench/measure.mjs <usage.json> <cli.js> [args…]`: runs the compiled CLI in this process as
 * `servesim args…` and, on exit, writes what the kernel counted for the whole process to usage.json:
 * peak RSS and user/system CPU of every thread, worker threads included (getrusage RUSAGE_SELF).
 * stdout and stderr stay the CLI's; the parent measures wall time around this process.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [usagePath, cli, ...args] = process.argv.slice(2);
if (usagePath === undefined || cli === undefined) {
  process.stderr.write('usage: node bench/measure.mjs <usage.json> <cli.js> [args…]\n');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(cli), ...args];
process.on('exit', (code) => {
  const u = process.resourceUsage();
  writeFileSync(
    usagePath,
    JSON.stringify({
      exitCode: code,
      maxRssMB: u.maxRSS / 1024, // kilobytes
      userSeconds: u.userCPUTime / 1e6, // microseconds
      systemSeconds: u.systemCPUTime / 1e6,
    }) + '\n',
  );
});
await import(pathToFileURL(resolve(cli)).href);
