/**
 * tfjs-core's gradient registrations. `@tensorflow/tfjs-core` registers no gradients by itself
 * (its union package `@tensorflow/tfjs` does), and training needs them. Bundlers load tfjs-core's
 * own ESM file through this import; Node cannot (the files are extensionless ESM in a CommonJS
 * package), so scripts/build.js bundles this module once, for Node, into dist/tfjs-gradients.js.
 * The registries are global in tfjs-core, so registering from that copy serves the installed peer.
 *
 * @module
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
