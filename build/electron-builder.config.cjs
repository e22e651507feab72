// electron-builder configuration: `npm run dist` (= build, then electron-builder --config this file).
// Installers for Linux (AppImage, deb), Windows (NSIS) and macOS (dmg, hardened runtime). The app ships as
// app.asar holding dist/main and dist/renderer (everything else is bundled into them by scripts/build.mjs) plus
// the two native modules main loads at run time, whose prebuilt Node-API binaries are unpacked beside the asar.
// test/unit/packaging-config.test.ts checks every promise made here.
'use strict';

const { join } = require('node:path');
const {
  bundledOnlyModules,
  excludeModule,
  FILE_ASSOCIATIONS,
  foreignPrebuilds,
  NATIVE_RUNTIME_MODULES,
} = require('./packaging.cjs');

/**
 * What the app is made of. A platform's own `files` replaces this list rather than adding to it, so each
 * platform below repeats it with its own exclusions appended (see platformFiles).
 */
const APP_FILES = Object.freeze([
  'dist/main/**/*',
  'dist/renderer/**/*',
  'package.json',
  // Only what main require()s at run time; see bundledOnlyModules() in packaging.cjs.
  ...bundledOnlyModules().map(excludeModule),
  // The native modules' C/C++ sources, build scaffolding and headers (their prebuilt binaries are what loads).
  '!**/node_modules/better-sqlite3-multiple-ciphers/{deps,src,build}{,/**/*}',
  '!**/node_modules/*/{binding.cc,CMakeLists.txt}',
  '!**/node_modules/node-addon-api{,/**/*}',
  '!**/*.{map,md,ts,mts,cts,cc,h,hpp,c,cpp,gyp,gypi}',
]);

const platformFiles = (os) => [...APP_FILES, ...foreignPrebuilds(os)];

const icon = (size) => `build/icons/${size}x${size}.png`;

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.hearingdesk.app',
  productName: 'Hearing Desk',
  executableName: 'hearing-desk',
  copyright: 'Copyright © Hearing Desk contributors',
  directories: { output: 'release', buildResources: 'build' },
  files: [...APP_FILES],
  asar: true,
  // Native binaries cannot be dlopen()ed from inside an archive: they live in app.asar.unpacked.
  asarUnpack: NATIVE_RUNTIME_MODULES.map((name) => `**/node_modules/${name}/**/*.node`),
  // The native modules ship Node-API prebuilds that load unchanged in Electron: nothing is rebuilt or compiled.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  afterPack: join(__dirname, 'after-pack.cjs'),
  fileAssociations: FILE_ASSOCIATIONS.map((association) => ({ ...association })),

  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    icon: 'build/icons',
    synopsis: 'Confidential disciplinary panel hearings, offline',
    // `.invalid` is reserved for names that must never resolve: there is no mailbox behind this.
    maintainer: 'Hearing Desk <maintainers@hearingdesk.invalid>',
    files: platformFiles('linux'),
  },
  win: {
    target: ['nsis'],
    icon: icon(512),
    files: platformFiles('win32'),
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    // The encrypted vault is the user's data: an uninstall never deletes it.
    deleteAppDataOnUninstall: false,
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.productivity',
    icon: icon(512),
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    files: platformFiles('darwin'),
  },
  dmg: {
    title: 'Hearing Desk',
  },
};

// Nothing but configuration here: electron-builder rejects unknown keys. The rules live in packaging.cjs.
module.exports = config;
