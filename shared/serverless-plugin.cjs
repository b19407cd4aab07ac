/* global __filename */
// osls loads plugins with a plain require; the plugin is TypeScript.
module.exports = require('tsx/cjs/api').require('./src/serverless/plugin.ts', __filename).default;
