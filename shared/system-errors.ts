// Operating-system failures (a full disk, a read-only folder…) in plain words with what to do next. Pure: it reads
// only the `code` an ErrnoException carries, so main's dispatcher and the command line describe them the same way.
export const SYSTEM_ERROR_WORDS: Record<string, { words: string; nextStep: string }> = {
  ENOENT: { words: 'no such file or directory', nextStep: 'Check the file or folder is still there and try again.' },
  EACCES: { words: 'permission denied', nextStep: 'Choose a folder you are allowed to write to, or ask whoever manages this computer.' },
  EPERM: { words: 'operation not permitted', nextStep: 'Choose another folder, or ask whoever manages this computer.' },
  EISDIR: { words: 'a folder is in the way', nextStep: 'Choose a file name, not a folder.' },
  ENOTDIR: { words: 'part of the path is not a folder', nextStep: 'Choose another place to save.' },
  EEXIST: { words: 'it already exists', nextStep: 'Choose another name.' },
  ENOSPC: { words: 'the disk is full', nextStep: 'Free some space or choose another drive, then try again. Nothing was changed.' },
  EDQUOT: { words: 'your disk quota is used up', nextStep: 'Free some space, then try again. Nothing was changed.' },
  EROFS: { words: 'the disk or folder is read-only', nextStep: 'Choose a writable place (a USB stick may be write-protected), then try again.' },
  EMFILE: { words: 'too many files are open', nextStep: 'Close other programs and try again.' },
  EIO: { words: 'the disk reported a read or write error', nextStep: 'Check the drive is still connected, then try again.' },
};

/** The system error in words (e.g. "the disk is full"), or null for anything that is not an OS error we know. */
export function systemErrorWords(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (SYSTEM_ERROR_WORDS[code]?.words ?? null) : null;
}

/** What happened and what to do, for an OS error we know; null otherwise. */
export function describeSystemError(error: unknown): { code: string; message: string } | null {
  const code = (error as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? SYSTEM_ERROR_WORDS[code] : undefined;
  if (!known) return null;
  const sentence = known.words.charAt(0).toUpperCase() + known.words.slice(1);
  return { code: `system-${String(code).toLowerCase()}`, message: `${sentence}. ${known.nextStep}` };
}
