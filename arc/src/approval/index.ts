export {
  GateHalted,
  GateTimeout,
  gatedApis,
  isApprovalGate,
  NoApprovalGate,
  readGates,
  setGates,
  waitForGates,
  type GateDataPlane,
  type WaitOptions,
} from './gates';
