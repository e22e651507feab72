// Secrets for the command line come from an environment variable or an interactive prompt with echo off —
// never from a flag, which would land in shell history and in the process list.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { AppError } from '../../shared/errors';

/** The one environment variable every command reads a passphrase from (a profile's, or an age file's). */
export const PASSPHRASE_ENV = 'HEARING_DESK_PASSPHRASE';

export class SecretUnavailableError extends AppError {
  constructor(message: string) {
    super('secret-unavailable', message);
    this.name = 'SecretUnavailableError';
  }
}

/** Longest passphrase accepted at the prompt: far beyond any real one, it bounds what a stuck terminal can make us hold. */
const MAX_SECRET_BYTES = 4096;

/**
 * Turns terminal echo off on the terminal behind `fd` and returns how to restore it. stty works whichever of
 * stdin/stdout is redirected (`cat file | hearing-desk … -p` must still not echo the passphrase); where stty is
 * unavailable (Windows) raw mode on stdin is the fallback, which only works when stdin is the terminal.
 */
function hideEcho(fd: number): () => void {
  if (process.platform !== 'win32') {
    const saved = spawnSync('stty', ['-g'], { stdio: [fd, 'pipe', 'ignore'] });
    const state = saved.status === 0 ? saved.stdout.toString().trim() : '';
    // raw: Ctrl-C arrives as a byte we handle (restoring the terminal) instead of killing us with echo still off.
    if (state && spawnSync('stty', ['raw', '-echo'], { stdio: [fd, 'ignore', 'ignore'] }).status === 0) {
      return () => void spawnSync('stty', [state], { stdio: [fd, 'ignore', 'ignore'] });
    }
  }
  const stdin = process.stdin;
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
    stdin.setRawMode(true);
    return () => void stdin.setRawMode(false);
  }
  return () => undefined;
}

function openTerminal(envVariable: string): number {
  try {
    return openSync(process.platform === 'win32' ? '\\\\.\\CONIN$' : '/dev/tty', 'r+');
  } catch {
    throw new SecretUnavailableError(`There is no terminal to ask for the passphrase on: set ${envVariable} instead.`);
  }
}

function promptOnTerminal(fd: number, prompt: string): string {
  // Echo goes off before the prompt appears, so nothing typed in answer to the prompt is ever shown.
  const restore = hideEcho(fd);
  const bytes: number[] = [];
  const buffer = Buffer.alloc(1);
  try {
    writeSync(fd, prompt);
    for (;;) {
      const n = readSync(fd, buffer, 0, 1, null);
      if (n === 0) break;
      const byte = buffer[0]!;
      if (byte === 3 || byte === 4) throw new SecretUnavailableError('Cancelled.');
      if (byte === 10 || byte === 13) break;
      if (byte === 127 || byte === 8) {
        bytes.pop();
        continue;
      }
      if (bytes.length >= MAX_SECRET_BYTES) throw new SecretUnavailableError('That passphrase is too long.');
      bytes.push(byte);
    }
  } finally {
    restore();
    writeSync(fd, '\r\n');
  }
  const secret = Buffer.from(bytes);
  bytes.fill(0);
  try {
    return secret.toString('utf8');
  } finally {
    secret.fill(0);
  }
}

/** The secret from the environment variable if set, otherwise typed at the terminal (echo off). */
export async function readSecret(prompt: string, envVariable: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env[envVariable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const fd = openTerminal(envVariable);
  try {
    return promptOnTerminal(fd, prompt);
  } finally {
    closeSync(fd);
  }
}

/**
 * A new passphrase: from the environment variable as is, or typed twice at the terminal (a typo in a passphrase
 * that is never shown would lock the file away for good).
 */
export async function readNewSecret(prompt: string, confirmPrompt: string, envVariable: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env[envVariable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const fd = openTerminal(envVariable);
  try {
    const first = promptOnTerminal(fd, prompt);
    if (first === '') throw new SecretUnavailableError('A passphrase is required; nothing was written.');
    if (promptOnTerminal(fd, confirmPrompt) !== first) throw new SecretUnavailableError('The two passphrases do not match; nothing was written.');
    return first;
  } finally {
    closeSync(fd);
  }
}
