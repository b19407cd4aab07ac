import {
  ACMClient,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  type CertificateStatus,
} from '@aws-sdk/client-acm';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import {
  DescribeClusterCommand,
  ListClustersCommand,
  Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClients } from '@arc-failover/shared/preflight';

export const FAKE_ACCOUNT = '123456789012';
export const certificateArn = (region: string, id: string) =>
  `arn:aws:acm:${region}:${FAKE_ACCOUNT}:certificate/${id}`;
export const clusterArn = (id: string) => `arn:aws:route53-recovery-control::${FAKE_ACCOUNT}:cluster/${id}`;

// The control-config client is pinned to 3.332.0, whose types predate the mock's; the runtime is the same.
type AnyStub = ReturnType<typeof mockClient>;

/**
 * Read-only AWS clients for the deploy checks and the stage setup, each instance mocked with
 * aws-sdk-client-mock (one ACM and one CloudFormation client per Region, so a test can tell the
 * Regions apart). Nothing unmocked reaches AWS: an unset call answers undefined.
 */
export function fakeAws(regions: readonly string[] = ['us-east-1', 'us-west-2']) {
  const perRegion = <C>(make: (region: string) => C) => new Map(regions.map((r) => [r, make(r)]));
  const route53 = new Route53Client({ region: 'us-east-1' });
  const acm = perRegion((region) => new ACMClient({ region }));
  const cloudFormation = perRegion((region) => new CloudFormationClient({ region }));
  const controlConfig = new Route53RecoveryControlConfigClient({ region: 'us-west-2' });
  const pick =
    <C>(clients: Map<string, C>, what: string) =>
    (region: string) => {
      const client = clients.get(region);
      if (!client) throw new Error(`fakeAws: no ${what} client for ${region}`);
      return client;
    };
  const clients: AwsClients = {
    route53,
    acm: pick(acm, 'ACM'),
    cloudFormation: pick(cloudFormation, 'CloudFormation'),
    controlConfig,
  };
  const stubs = {
    route53: mockClient(route53),
    acm: new Map([...acm].map(([r, c]) => [r, mockClient(c)])),
    cloudFormation: new Map([...cloudFormation].map(([r, c]) => [r, mockClient(c)])),
    controlConfig: mockClient(controlConfig as never) as AnyStub,
  };
  const stub = <S>(map: Map<string, S>, region: string) => map.get(region)!;
  return {
    clients,
    route53: stubs.route53,
    acm: (region: string) => stub(stubs.acm, region),
    cloudFormation: (region: string) => stub(stubs.cloudFormation, region),
    controlConfig: stubs.controlConfig,
    restore() {
      stubs.route53.restore();
      stubs.acm.forEach((s) => s.restore());
      stubs.cloudFormation.forEach((s) => s.restore());
      stubs.controlConfig.restore();
    },
  };
}

export type FakeAws = ReturnType<typeof fakeAws>;

export interface FakeZone {
  id: string;
  name: string;
  private?: boolean;
}

/** Route 53 holds these hosted zones: ListHostedZonesByName and GetHostedZone answer from them. */
export function withZones(aws: FakeAws, zones: FakeZone[]): void {
  const asRoute53 = (z: FakeZone) => ({
    Id: `/hostedzone/${z.id}`,
    Name: `${z.name}.`,
    CallerReference: z.id,
    Config: { PrivateZone: z.private ?? false },
  });
  const sorted = [...zones].sort((a, b) => a.name.localeCompare(b.name));
  aws.route53.on(ListHostedZonesByNameCommand).callsFake((input: { DNSName?: string }) => ({
    HostedZones: sorted.filter((z) => !input.DNSName || z.name >= input.DNSName).map(asRoute53),
    IsTruncated: false,
    MaxItems: 100,
  }));
  aws.route53.on(GetHostedZoneCommand).callsFake((input: { Id: string }) => {
    const zone = zones.find((z) => z.id === input.Id);
    if (!zone) {
      throw new Route53ServiceException({
        name: 'NoSuchHostedZone',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: `No hosted zone found with ID: ${input.Id}`,
      });
    }
    return { HostedZone: asRoute53(zone), DelegationSet: { NameServers: ['ns-1.awsdns-01.org'] } };
  });
}

export interface FakeCertificate {
  arn: string;
  domainName: string;
  /** The other SubjectAlternativeNames (ACM lists the DomainName among them too). */
  alternativeNames?: string[];
  status?: CertificateStatus;
  notAfter?: Date;
}

/** ACM in one Region holds these certificates: ListCertificates filters by status, DescribeCertificate describes. */
export function withCertificates(aws: FakeAws, region: string, certificates: FakeCertificate[]): void {
  const status = (c: FakeCertificate) => c.status ?? 'ISSUED';
  const names = (c: FakeCertificate) => [c.domainName, ...(c.alternativeNames ?? [])];
  aws
    .acm(region)
    .on(ListCertificatesCommand)
    .callsFake((input: { CertificateStatuses?: string[] }) => ({
      CertificateSummaryList: certificates
        .filter((c) => !input.CertificateStatuses || input.CertificateStatuses.includes(status(c)))
        .map((c) => ({
          CertificateArn: c.arn,
          DomainName: c.domainName,
          SubjectAlternativeNameSummaries: names(c),
          Status: status(c),
          ...(c.notAfter && { NotAfter: c.notAfter }),
        })),
    }));
  aws
    .acm(region)
    .on(DescribeCertificateCommand)
    .callsFake((input: { CertificateArn: string }) => {
      const c = certificates.find((cert) => cert.arn === input.CertificateArn);
      if (!c) {
        throw Object.assign(new Error(`Could not find certificate ${input.CertificateArn}.`), {
          name: 'ResourceNotFoundException',
        });
      }
      return {
        Certificate: {
          CertificateArn: c.arn,
          DomainName: c.domainName,
          SubjectAlternativeNames: names(c),
          Status: status(c),
          ...(c.notAfter && { NotAfter: c.notAfter }),
        },
      };
    });
}

/** The ARC control plane holds these clusters (ARN -> Status). */
export function withClusters(aws: FakeAws, clusters: Record<string, string>): void {
  const list = Object.entries(clusters).map(([arn, status], i) => ({
    ClusterArn: arn,
    Name: `cluster-${i}`,
    Status: status,
  }));
  aws.controlConfig.on(ListClustersCommand as never).resolves({ Clusters: list } as never);
  aws.controlConfig.on(DescribeClusterCommand as never).callsFake((input: { ClusterArn: string }) => {
    const cluster = list.find((c) => c.ClusterArn === input.ClusterArn);
    if (!cluster) {
      throw Object.assign(new Error(`Cluster ${input.ClusterArn} not found`), {
        name: 'ResourceNotFoundException',
      });
    }
    return { Cluster: cluster };
  });
}

const stackMissing = (stackName: string) =>
  new CloudFormationServiceException({
    name: 'ValidationError',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `Stack with id ${stackName} does not exist`,
  });

/**
 * CloudFormation in one Region holds these stacks (name -> status); any other stack does not exist.
 * `ownCluster` lists the stacks that hold a `Cluster` resource (an ARC stack that created its cluster).
 */
export function withStacks(
  aws: FakeAws,
  region: string,
  stacks: Record<string, StackStatus>,
  ownCluster: string[] = [],
): void {
  const cfn = aws.cloudFormation(region);
  cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => {
    const status = stacks[input.StackName];
    if (!status) throw stackMissing(input.StackName);
    return {
      Stacks: [{ StackName: input.StackName, StackStatus: status, CreationTime: new Date(0) }],
    };
  });
  cfn
    .on(DescribeStackResourceCommand)
    .callsFake((input: { StackName: string; LogicalResourceId: string }) => {
      if (!stacks[input.StackName]) throw stackMissing(input.StackName);
      if (!ownCluster.includes(input.StackName) || input.LogicalResourceId !== 'Cluster') {
        throw new CloudFormationServiceException({
          name: 'ValidationError',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: `Resource ${input.LogicalResourceId} does not exist for stack ${input.StackName}`,
        });
      }
      return {
        StackResourceDetail: {
          LogicalResourceId: 'Cluster',
          ResourceType: 'AWS::Route53RecoveryControl::Cluster',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(0),
        },
      };
    });
}
