/**
 * The synthesized stack, area by area (each in ./<area>.spec.ts). One test file so
 * that aws-cdk-lib is loaded and the default stack synthesized once for all of
 * them (test/cdk/synth.ts defaultStack); bundling.test.ts bundles for real apart.
 */
import './table.spec.js';
import './functions.spec.js';
import './http-api.spec.js';
import './events.spec.js';
import './schedule.spec.js';
import './operations.spec.js';
import './console.spec.js';
import './nag.spec.js';
