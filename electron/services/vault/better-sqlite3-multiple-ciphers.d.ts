// The package ships typings, but its "exports" map hides them from TypeScript's Bundler resolution; its API is
// better-sqlite3's (a tsconfig "paths" entry would also redirect tsx at run time, to the .d.ts file).
declare module 'better-sqlite3-multiple-ciphers' {
  import Database = require('better-sqlite3');
  export = Database;
}
