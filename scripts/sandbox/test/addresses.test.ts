import { parseTopology } from '@arc-failover/shared';
import {
  AddressUnavailableError,
  apiAddresses,
  checkAddresses,
  DEFAULT_API_ADDRESSES,
} from '../src/addresses';
import topologyFile from '@arc-failover/shared/topology.json';

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

describe('checking the addresses exist before anything starts', () => {
  it('passes addresses of this machine', async () => {
    await expect(
      checkAddresses(new Map([['api', new Map([['us-east-1', '127.0.0.1']])]])),
    ).resolves.toBeUndefined();
  });

  it('names every missing address in one line, with the macOS fix', async () => {
    const addresses = new Map([
      [
        'api',
        new Map([
          ['us-east-1', '198.51.100.7'],
          ['us-west-2', '198.51.100.8'],
        ]),
      ],
    ]);
    await expect(checkAddresses(addresses)).rejects.toThrow(
      new AddressUnavailableError(
        '198.51.100.7, 198.51.100.8 are not addresses of this machine: on macOS add them with "for a in 198.51.100.7 198.51.100.8; do sudo ifconfig lo0 alias $a up; done", or choose others with --api-addresses',
      ),
    );
  });
});
