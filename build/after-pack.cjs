// electron-builder afterPack hook: flips Electron's fuses in the packaged binary before it is signed, then reads
// them back and fails the build if any fuse does not hold the value asked for. Fuses are compiled-in switches
// that no command line, environment variable or file can turn back on.
'use strict';

const { join } = require('node:path');

/**
 * Fuse name (as in @electron/fuses' FuseV1Options) → value. test/unit/packaging-config.test.ts checks this map.
 * - RunAsNode off: ELECTRON_RUN_AS_NODE cannot turn the app into a general Node interpreter.
 * - EnableNodeOptionsEnvironmentVariable off: NODE_OPTIONS cannot preload code into the main process.
 * - EnableNodeCliInspectArguments off: --inspect and friends cannot attach a debugger to the main process.
 * - EnableEmbeddedAsarIntegrityValidation on: app.asar is checked against the hash embedded at build time.
 * - OnlyLoadAppFromAsar on: the app runs from app.asar only, never from a loose app/ folder dropped beside it.
 * - EnableCookieEncryption on: Chromium's cookie store is encrypted with the OS keychain key.
 * - GrantFileProtocolExtraPrivileges off: file:// pages get no extra powers; the app loads from app:// only.
 */
const FUSES = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  EnableCookieEncryption: true,
  GrantFileProtocolExtraPrivileges: false,
});

/** electron-builder's Arch enum value for arm64. */
const ARCH_ARM64 = 3;

/**
 * The file @electron/fuses must be pointed at, named as electron-builder names the packaged executable:
 * the .app bundle on macOS, "<productFilename>.exe" on Windows, the lower-case executableName on Linux.
 */
function packagedElectronPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      return join(appOutDir, packager.executableName);
    default:
      throw new Error(`Hearing Desk does not package for "${electronPlatformName}".`);
  }
}

/** FUSES as the numeric-keyed config @electron/fuses takes. */
function fuseConfig(fuses, electronPlatformName, arch) {
  const config = {
    version: fuses.FuseVersion.V1,
    // Flipping a fuse breaks an arm64 Mac binary's ad-hoc signature; electron-builder signs properly afterwards.
    resetAdHocDarwinSignature: (electronPlatformName === 'darwin' || electronPlatformName === 'mas') && arch === ARCH_ARM64,
  };
  for (const [name, value] of Object.entries(FUSES)) {
    const index = fuses.FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`@electron/fuses has no fuse called ${name}.`);
    config[index] = value;
  }
  return config;
}

async function afterPack(context) {
  // @electron/fuses is an ES module.
  const fuses = await import('@electron/fuses');
  const electronPath = packagedElectronPath(context);
  await fuses.flipFuses(electronPath, fuseConfig(fuses, context.electronPlatformName, context.arch));

  const wire = await fuses.getCurrentFuseWire(electronPath);
  const wrong = Object.entries(FUSES).filter(([name, value]) => {
    const expected = value ? fuses.FuseState.ENABLE : fuses.FuseState.DISABLE;
    return wire[fuses.FuseV1Options[name]] !== expected;
  });
  if (wrong.length > 0) {
    throw new Error(`These Electron fuses did not take their value in ${electronPath}: ${wrong.map(([name]) => name).join(', ')}`);
  }
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.afterPack = afterPack;
module.exports.FUSES = FUSES;
module.exports.packagedElectronPath = packagedElectronPath;
