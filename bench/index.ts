/** The benchmark suites `speechcore bench` knows, by name. */
import type { Suite } from './schema.ts';

export const suites: Record<string, Suite> = {};
