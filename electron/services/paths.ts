import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Hearing Desk';

/**
 * Where Electron's app.getPath('userData') points for this product on each OS, computed without Electron
 * so the command line finds the same profile as the app.
 */
export function defaultUserDataDirectory(platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

export function profileDirectory(userData: string): string {
  return join(userData, 'profile');
}
