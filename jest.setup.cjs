// The AWS SDK warns, over eight lines of stderr, that its releases after January 2027 need Node 22: noise
// in test output. Processes the tests start inherit the setting.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
