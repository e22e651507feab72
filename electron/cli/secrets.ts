// Secrets for the command line come from an environment variable or an interactive prompt with echo off —
// never from a flag, which would land in shell history and in the process list.
import { openSync, readSync, closeSync, writeSync } from 'node:fs';

export class SecretUnavailableError extends Error {
  readonly code = 'secret-unavailable';
}

export async function readSecret(prompt: string, envVariable: string, env = process.env): Promise<string> {
  const fromEnv = env[envVariable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  let fd: number;
  try {
    fd = openSync(process.platform === 'win32' ? '\\\\.\\CONIN$' : '/dev/tty', 'r+');
  } catch {
    throw new SecretUnavailableError(`no terminal to ask for the passphrase: set ${envVariable} instead`);
  }
  try {
    const stdin = process.stdin;
    const canHide = stdin.isTTY && typeof stdin.setRawMode === 'function';
    writeSync(fd, prompt);
    if (canHide) stdin.setRawMode(true);
    const bytes: number[] = [];
    const buffer = Buffer.alloc(1);
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, 1, null);
        if (n === 0) break;
        const byte = buffer[0]!;
        if (byte === 3) throw new SecretUnavailableError('cancelled');
        if (byte === 10 || byte === 13) break;
        if (byte === 127 || byte === 8) { bytes.pop(); continue; }
        bytes.push(byte);
      }
    } finally {
      if (canHide) stdin.setRawMode(false);
      writeSync(fd, '\n');
    }
    return Buffer.from(bytes).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
