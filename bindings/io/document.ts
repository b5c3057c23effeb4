/**
 * The opening checks every saved model file shares: text or object in, a JSON object with the
 * expected schema and version out, or a ModelFormatError that names the source and the problem.
 * No Node imports.
 *
 * @module
 */
import { ModelFormatError } from '../errors.ts';

/** A thrower of ModelFormatError prefixed by the source (the file or URL). */
export const formatError = (source: string) => (what: string): never => { throw new ModelFormatError(`${source}: ${what}`); };

/**
 * `doc` (JSON text, or the parsed value) as an object whose `schema` and `version` are the ones
 * asked for; its fields are the caller's to check.
 * @throws ModelFormatError: not JSON, not an object, another schema, another version.
 */
export function openDocument(doc: unknown, source: string, schema: string, version: number): Record<string, any> {
  const bad = formatError(source);
  let j: any = doc;
  if (typeof doc === 'string') {
    try {
      j = JSON.parse(doc);
    } catch (e) {
      bad(`is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) bad('is not a JSON object');
  if (j.schema !== schema) bad(`schema is ${JSON.stringify(j.schema)}, expected "${schema}"`);
  if (j.version !== version) bad(`version ${JSON.stringify(j.version)} is not supported (this build reads version ${version})`);
  return j;
}
