// Stops install/start/test with a plain message on a Node too old for the native SQLCipher module
// (better-sqlite3-multiple-ciphers@13 segfaults on Node < 22 instead of failing cleanly).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `Hearing Desk needs Node.js 22 or newer (Node 24 LTS recommended); this is Node ${process.versions.node}.\n` +
      'Install a current Node.js from https://nodejs.org and run the command again.'
  );
  process.exit(1);
}
