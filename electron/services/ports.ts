// What the services need from the desktop around them, as narrow interfaces. Electron's implementations
// live in electron/main.ts; tests and the e2e harness provide their own, with no Electron at all.

export interface SaveFileRequest {
  title: string;
  suggestedName: string;
  filters: { name: string; extensions: string[] }[];
  bytes: Uint8Array;
}

export interface FileDialogs {
  /** Asks the user where to save and writes the bytes there. Resolves to the path, or null if cancelled. */
  saveFile(request: SaveFileRequest): Promise<string | null>;
}

/**
 * Optional OS-keychain unlock. Implemented over Electron's safeStorage in electron/keychain.ts, outside the
 * services; absent in the CLI and the e2e harness.
 */
export interface KeychainPort {
  status(): { available: boolean; enabled: boolean; reason: string | null };
  /** Stores the passphrase protected by the OS keychain. Throws if the keychain is unavailable. */
  store(passphrase: string): void;
  /** The stored passphrase, or null if none is stored. */
  retrieve(): string | null;
  clear(): void;
}

/** Native open/save pickers that return paths; the service streams the file itself (bundles can be gigabytes). */
export interface FilePicker {
  chooseOpenPaths(request: { title: string; filters: { name: string; extensions: string[] }[]; multiple: boolean }): Promise<string[]>;
  chooseSavePath(request: { title: string; suggestedName: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>;
}
