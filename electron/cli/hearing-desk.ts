// Entry point of the `hearing-desk` command (built to dist/cli/hearing-desk.cjs, package.json "bin").
import { runCli, type CliIo } from './framework';
import { registry } from './commands';

const io: CliIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdinIsTTY: process.stdin.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
};

void runCli(process.argv.slice(2), io, registry).then((code) => {
  process.exitCode = code;
});
