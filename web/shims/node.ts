/**
 * Stand-in for `node:fs` and `node:path` in the browser bundles (scripts/build.js maps them here).
 * bindings/nn imports them for checkpoint files; the page only parses checkpoint text it fetched,
 * so reaching any of these means a Node-only path was taken in a browser.
 *
 * @module
 */
const unavailable = (name: string) => (): never => {
  throw new Error(`${name} is not available in a browser`);
};
export const existsSync = unavailable('fs.existsSync');
export const mkdirSync = unavailable('fs.mkdirSync');
export const readdirSync = unavailable('fs.readdirSync');
export const unlinkSync = unavailable('fs.unlinkSync');
export const readFileSync = unavailable('fs.readFileSync');
export const openSync = unavailable('fs.openSync');
export const closeSync = unavailable('fs.closeSync');
export const fsyncSync = unavailable('fs.fsyncSync');
export const writeSync = unavailable('fs.writeSync');
export const renameSync = unavailable('fs.renameSync');
export const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');
export default {};
