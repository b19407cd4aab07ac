#!/usr/bin/env node
/* global __filename */
// `arc-failover-stack <package|deploy|remove>` in a stack's package; `preflight` and `remove-all` at the root.
require('tsx/cjs/api').require('../src/main.ts', __filename);
