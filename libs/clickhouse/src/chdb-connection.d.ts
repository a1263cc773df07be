// chdb publishes `chdb/connection` through package.json "exports", which the repo's `moduleResolution: node10`
// does not read; this maps the specifier onto the same declaration file so the import type-checks as it runs.
declare module 'chdb/connection' {
  export { createChdbConnection, ChdbConnection, type ChdbConnectionOptions } from 'chdb/dist/connection/index';
}
