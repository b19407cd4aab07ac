export { startSandbox, type StartedSandbox, type StartOptions } from './start';
export { Sandbox, type SandboxOptions, type SandboxStatus } from './sandbox';
export { FREE_PORT_FLAGS, startSandboxOnFreePorts, type TemporarySandbox } from './free-ports';
export { buildApis } from './api-gateway/build';
