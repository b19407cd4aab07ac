/* global __filename */
// The one line a refused `sls deploy` prints must come first: the AWS SDK's notice about future Node
// versions is not for the user of this project (the Lambda functions run nodejs22.x).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// osls loads plugins with a plain require; the plugin is TypeScript.
module.exports = require('tsx/cjs/api').require('./src/serverless/plugin.ts', __filename).default;
