import { parseTopology } from '@arc-failover/shared';
import { apiAddresses, DEFAULT_API_ADDRESSES } from '../src/sandbox/addresses';
import topologyFile from '../../shared/topology.json';

const topology = parseTopology(topologyFile, 'local');

describe("each API's own address in each Region", () => {
  it('numbers Regions in the topology’s sorted order and APIs in its order, entry first', () => {
    const addresses = apiAddresses(DEFAULT_API_ADDRESSES, topology);
    expect(
      Object.fromEntries([...addresses].map(([api, byRegion]) => [api, Object.fromEntries(byRegion)])),
    ).toEqual({
      'external-api': { 'us-east-1': '127.0.1.1', 'us-west-2': '127.0.2.1' },
      service1: { 'us-east-1': '127.0.1.2', 'us-west-2': '127.0.2.2' },
      service2: { 'us-west-2': '127.0.2.3', 'us-east-1': '127.0.1.3' },
    });
  });

  it('takes another pattern, e.g. for machines with other loopback aliases', () => {
    expect(apiAddresses('10.0.{region}.{api}', topology).get('service2')!.get('us-west-2')).toBe('10.0.2.3');
  });

  it('refuses a pattern that cannot tell deployments apart or gives no IPv4 address', () => {
    expect(() => apiAddresses('127.0.0.{api}', topology)).toThrow('needs both {region} and {api}');
    expect(() => apiAddresses('127.0.{region}.{api}00', topology)).toThrow(
      'gives "127.0.2.300", not an IPv4 address',
    );
  });
});
