export { closeHttpServer } from './http-server';
export {
  ListenError,
  listenTcp,
  listenUdp,
  portOf,
  startHttpListener,
  type HttpListener,
  type ListenTarget,
} from './listen';
export { closeAfterResponse, readBodyWithin, type BodyRead } from './http-body';
export {
  answerRecords,
  DnsQueryError,
  queryDns,
  type DnsQueryOptions,
  type DnsResponse,
  type DnsServerAddress,
} from './dns-client';
export { DnsMessageReader, frameDnsMessage } from './dns-tcp';
