export {
  GateHalted,
  GateTimeout,
  gatedApis,
  NoApprovalGate,
  readGates,
  setGates,
  waitForGates,
  type GateDataPlane,
  type WaitOptions,
} from './gates';
