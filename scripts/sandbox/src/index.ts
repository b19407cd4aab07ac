export { startSandbox, type StartedSandbox, type StartOptions } from './start';
export { Sandbox, type SandboxOptions } from './sandbox';
export type { FaultRequest, SandboxStatus } from './admin/protocol';
export { FREE_PORT_FLAGS, startSandboxOnFreePorts, type TemporarySandbox } from './free-ports';
export { buildApis } from './api-gateway/build';
