import { API_GATEWAY_EDGE_ZONE, API_GATEWAY_REGIONAL_ZONES } from '../../src/apigateway-zones';
import { AWS_REGIONS } from '../../src/regions';
import { checkDomainTarget } from '../../src/serverless/domain-target';
import { FailoverRecordError } from '../../src/serverless/failover-record';
import { findService, loadTopology } from '../../src/topology';

const api = findService(loadTopology('prod'), 'service1');
const target = (region: string, hostedZoneId = API_GATEWAY_REGIONAL_ZONES[region] ?? 'Z0000000000000') => ({
  dnsName: `d-abcde12345.execute-api.${region}.amazonaws.com`,
  hostedZoneId,
});

describe("the custom domain's Regional target", () => {
  it('is accepted, in every Region with a known API Gateway zone, only with that zone', () => {
    const known = Object.keys(API_GATEWAY_REGIONAL_ZONES);
    expect(known.length).toBeGreaterThanOrEqual(33);
    for (const region of known) {
      expect(() => checkDomainTarget(target(region), api, region)).not.toThrow();
      const other = known.find((r) => r !== region)!;
      expect(() => checkDomainTarget(target(region, API_GATEWAY_REGIONAL_ZONES[other]), api, region)).toThrow(
        FailoverRecordError,
      );
    }
  });

  it('never names the CloudFront zone as a Regional one, and each zone belongs to one Region', () => {
    const zones = Object.values(API_GATEWAY_REGIONAL_ZONES);
    expect(zones).not.toContain(API_GATEWAY_EDGE_ZONE);
    expect(new Set(zones).size).toBe(zones.length);
  });

  it('is refused in one line naming the fix in a Region the topology allows but whose zone is not known', () => {
    const unknown = AWS_REGIONS.filter((r) => !(r in API_GATEWAY_REGIONAL_ZONES));
    expect(unknown).toEqual(['ap-southeast-6']);
    expect(() => checkDomainTarget(target('ap-southeast-6'), api, 'ap-southeast-6')).toThrow(
      new FailoverRecordError(
        `no API Gateway Regional hosted zone id is known for ap-southeast-6: add it to shared/src/apigateway-zones.ts from AWS's "Amazon API Gateway endpoints and quotas" page`,
      ),
    );
  });

  it('is refused when the name only looks Regional', () => {
    for (const dnsName of [
      'd-abcde12345.execute-api.us-west-2.amazonaws.com.evil.example',
      'abcde12345.execute-api.us-west-2.amazonaws.com',
      'd-abcde12345.execute-api.us-west-2xamazonaws.com',
    ]) {
      expect(() => checkDomainTarget({ ...target('us-west-2'), dnsName }, api, 'us-west-2')).toThrow(
        /is not a Regional API Gateway name in us-west-2/,
      );
    }
  });
});
