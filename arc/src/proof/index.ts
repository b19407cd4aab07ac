/** Proof that traffic moved: the zone's authoritative answer and the public URL's answering Region. */
export {
  askAuthoritative,
  describeAnswer,
  nameServersOf,
  ProofUnavailable,
  regionOfAnswer,
  systemTargetResolver,
  type AuthoritativeAnswer,
  type TargetResolver,
} from './dns';
export { askPublic, type PublicAnswer } from './http';
export { lookAt, type DnsLook, type Look } from './look';
export {
  notProvenLine,
  proveSwitch,
  type ApiProof,
  type ProofResult,
  type ProofSample,
  type ProveOptions,
} from './prove';
