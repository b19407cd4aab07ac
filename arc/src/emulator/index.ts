import { hostname, userInfo } from 'node:os';
import {
  ARC_CLUSTER_ENDPOINT_REGIONS,
  type Topology,
  type RoutingControlState,
  SAFETY_RULE_WAIT_PERIOD_MS,
} from '@arc-failover/shared';
import { bookmarkService, type Bookmark } from '../bookmark';
import { ClusterState, type ChangeListener, type StateChange } from './cluster';
import { ArcError, arcErrors } from './errors';
import { ClusterEndpoint, errorReply, type EndpointFault, type Reply } from './endpoint';
import { buildClusterModel, type AssertionRuleSpec, type GatingRuleSpec } from './model';
import { OPERATIONS, operationOf, parseInput, runOperation, type Caller, type Operation } from './operations';
import { SIGNING_SERVICE, verifySignature, type SignedRequest } from './sigv4';
import type { StaticCredentials } from '../static-credentials';

export type { EndpointFault } from './endpoint';
export { ENDPOINT_FAULTS } from './endpoint';
export type { AssertionRuleSpec, GatingRuleSpec, RuleConfig } from './model';
export type { StateChange } from './cluster';
export type { Operation } from './operations';

export type { StaticCredentials };

/** One request as an endpoint received it, whatever came of it (hung and faulted ones included). */
export interface ReceivedRequest {
  region: string;
  /** The `x-amz-target` header, e.g. 'ToggleCustomerAPI.UpdateRoutingControlStates'. */
  target: string;
  /** performance.now() on arrival. */
  atMs: number;
}

/** The static credentials the emulation accepts unless told otherwise. Not a secret: loopback only. */
export const SANDBOX_CREDENTIALS: StaticCredentials = {
  accessKeyId: 'AKIAARCFAILOVERLOCAL',
  secretAccessKey: 'sandbox/arc-failover/not-a-real-secret00',
};

/** Credentials that may read routing controls but not update them (AccessDeniedException on Update*). */
export const SANDBOX_READ_ONLY_CREDENTIALS: StaticCredentials = {
  accessKeyId: 'AKIAARCFAILOVERREADR',
  secretAccessKey: 'sandbox/arc-failover/read-only-secret000',
};

/**
 * The approver's credentials (approval gate): may read and update the approval controls and nothing else,
 * as the stack's approver policy grants; the operator's credentials may not update them (explicit deny).
 */
export const SANDBOX_APPROVER_CREDENTIALS: StaticCredentials = {
  accessKeyId: 'AKIAARCFAILOVERAPPRV',
  secretAccessKey: 'sandbox/arc-failover/approver-secret000',
};

export interface ClusterEmulatorOptions {
  topology: Topology;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Five ports, index-aligned with ARC_CLUSTER_ENDPOINT_REGIONS; 0 or omitted = a free port. */
  ports?: number[];
  /** The flag of the caller's command that picks `ports`, named when one is busy. */
  portsFlag?: string;
  /** Default '111122223333'. */
  accountId?: string;
  /** The assertion rules' wait period; default SAFETY_RULE_WAIT_PERIOD_MS. */
  waitPeriodMs?: number;
  /** Accepted credentials, allowed every operation but updating approval controls; default SANDBOX_CREDENTIALS. */
  credentials?: StaticCredentials;
  /** Accepted credentials allowed only Get/List; default SANDBOX_READ_ONLY_CREDENTIALS. */
  readOnlyCredentials?: StaticCredentials;
  /** Accepted credentials allowed only the approval controls; default SANDBOX_APPROVER_CREDENTIALS. */
  approverCredentials?: StaticCredentials;
}

const DEFAULT_ACCOUNT_ID = '111122223333';
/** The SDK for JavaScript posts to `<endpoint path>/`, the AWS CLI (botocore) to the endpoint path itself. */
const ENDPOINT_PATHS = ['/v1/', '/v1'];

/**
 * A Route 53 ARC cluster on loopback: five Regional endpoints sharing one routing-control state, speaking
 * the route53-recovery-cluster AWS JSON 1.0 protocol, checking SigV4 signatures and safety rules, with a
 * fault to inject per endpoint. Built from the topology with the ARC stack's names; controls start Off.
 */
export class ClusterEmulator {
  readonly clusterArn: string;
  private readonly cluster: ClusterState;
  private readonly endpointList: ClusterEndpoint[];
  private readonly callers: Map<string, Caller>;
  private readonly credentialList: StaticCredentials[];
  private readonly operationCount = new Map<Operation, number>(OPERATIONS.map((op) => [op, 0]));
  private readonly received: ReceivedRequest[] = [];

  private constructor(
    private readonly options: ClusterEmulatorOptions & {
      accountId: string;
      waitPeriodMs: number;
      credentials: StaticCredentials;
    },
  ) {
    const model = buildClusterModel(options.topology, options.accountId, options.waitPeriodMs);
    this.clusterArn = model.clusterArn;
    this.cluster = new ClusterState(model);
    const readOnly = options.readOnlyCredentials ?? SANDBOX_READ_ONLY_CREDENTIALS;
    const approver = options.approverCredentials ?? SANDBOX_APPROVER_CREDENTIALS;
    this.credentialList = [options.credentials, readOnly, approver];
    const caller = (user: string, role: Caller['role']): Caller => ({
      principalArn: `arn:aws:iam::${options.accountId}:user/${user}`,
      role,
    });
    this.callers = new Map([
      [readOnly.accessKeyId, caller('arc-sandbox-read-only', 'read-only')],
      [approver.accessKeyId, caller('arc-sandbox-approver', 'approver')],
      [options.credentials.accessKeyId, caller('arc-sandbox-operator', 'operator')],
    ]);
    const host = options.host ?? '127.0.0.1';
    this.endpointList = ARC_CLUSTER_ENDPOINT_REGIONS.map(
      (region, index) =>
        new ClusterEndpoint(
          region,
          host,
          options.ports?.[index] ?? 0,
          (request) => this.serve(region, request),
          (target) => this.received.push({ region, target, atMs: performance.now() }),
          options.portsFlag,
        ),
    );
  }

  static async start(options: ClusterEmulatorOptions): Promise<ClusterEmulator> {
    if (options.ports && options.ports.length !== ARC_CLUSTER_ENDPOINT_REGIONS.length) {
      throw new Error(
        `ports: give ${ARC_CLUSTER_ENDPOINT_REGIONS.length} ports, one per endpoint Region (${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')}), or none`,
      );
    }
    const emulator = new ClusterEmulator({
      ...options,
      accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
      waitPeriodMs: options.waitPeriodMs ?? SAFETY_RULE_WAIT_PERIOD_MS,
      credentials: options.credentials ?? SANDBOX_CREDENTIALS,
    });
    try {
      for (const endpoint of emulator.endpointList) await endpoint.listen();
    } catch (error) {
      await emulator.close();
      throw error;
    }
    return emulator;
  }

  get endpoints(): { region: string; url: string }[] {
    return this.endpointList.map((endpoint) => ({ region: endpoint.region, url: endpoint.url }));
  }

  /** A bookmark for this cluster; its `sandbox` section carries only the credentials. */
  bookmark(): Bookmark {
    const { topology } = this.options;
    const model = this.cluster.model;
    const gated = topology.arc.approvalGate;
    return {
      version: 1,
      stage: topology.stage,
      clusterArn: this.clusterArn,
      endpoints: this.endpoints,
      services: topology.all.map((service) =>
        bookmarkService(service, {
          controlPanelArn: model.controlPanels.find((panel) => panel.service === service.name)!.arn,
          routingControlArn: (region) => this.routingControlArn(service.name, region),
          ...(gated && { approvalControlArn: this.approvalControlArn(service.name) }),
        }),
      ),
      safetyRules: this.cluster.safetyRules().map((rule) => ({
        name: rule.name,
        arn: rule.arn,
        service: rule.controlPanel.service,
        kind: rule.kind,
      })),
      writtenAt: new Date().toISOString(),
      writtenBy: `${userInfo().username}@${hostname()} (ARC cluster emulator)`,
      sandbox: {
        credentials: { ...this.options.credentials },
        ...(gated && {
          approverCredentials: { ...(this.options.approverCredentials ?? SANDBOX_APPROVER_CREDENTIALS) },
        }),
      },
    };
  }

  /** The approval control of a service (approval gate); an error without the gate. */
  approvalControlArn(service: string): string {
    const control = this.cluster.model.routingControls.find((c) => c.service === service && c.approval);
    if (!control)
      throw new Error(`no approval control for service ${service} (the stage has no approval gate)`);
    return control.arn;
  }

  stateOf(routingControlArn: string): RoutingControlState {
    return this.cluster.stateOf(routingControlArn);
  }

  routingControlArn(service: string, region: string): string {
    const control = this.cluster.model.routingControls.find(
      (c) => c.service === service && c.region === region,
    );
    if (!control) throw new Error(`no routing control for service ${service} in ${region}`);
    return control.arn;
  }

  /**
   * Applies a change as an UpdateRoutingControlStates call would (safety rules included), bypassing the
   * endpoints: for tests that need another operator's change at an exact moment, e.g. from `onChange`.
   */
  update(changes: StateChange[]): void {
    this.cluster.update(changes);
  }

  onChange(listener: ChangeListener): () => void {
    return this.cluster.onChange(listener);
  }

  async setFault(region: string, fault: EndpointFault): Promise<void> {
    await this.endpoint(region).setFault(fault);
  }

  addSafetyRule(rule: AssertionRuleSpec | GatingRuleSpec): string {
    return this.cluster.addSafetyRule(rule, this.options.waitPeriodMs).arn;
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.endpointList.map((endpoint) => [endpoint.region, endpoint.requestCount]));
  }

  /** Every request received since start, in arrival order (for tests of per-endpoint rates). */
  requestLog(): readonly ReceivedRequest[] {
    return this.received;
  }

  /**
   * Signed requests per operation name since start, over the five endpoints, whatever their answer (for
   * tests asserting which operations a client calls). Requests a fault kept from the cluster are not here.
   */
  operationCounts(): Record<Operation, number> {
    return Object.fromEntries(this.operationCount) as Record<Operation, number>;
  }

  async close(): Promise<void> {
    await Promise.all(this.endpointList.map((endpoint) => endpoint.close()));
  }

  private endpoint(region: string): ClusterEndpoint {
    const endpoint = this.endpointList.find((e) => e.region === region);
    if (!endpoint) {
      throw new Error(
        `no cluster endpoint in ${region} (endpoints: ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')})`,
      );
    }
    return endpoint;
  }

  /** One request, in the order AWS checks it: signature, operation, body, members, then the operation. */
  private serve(region: string, request: SignedRequest): Reply {
    try {
      const accessKeyId = verifySignature(request, { region, service: SIGNING_SERVICE }, this.credentialList);
      if (request.method !== 'POST' || !ENDPOINT_PATHS.includes(request.url.split('?')[0]!)) {
        throw arcErrors.validation(
          'unknownOperation',
          `${request.method} ${request.url}: this cluster endpoint takes only POST /v1/ (or /v1)`,
        );
      }
      const operation = operationOf(headerOf(request, 'x-amz-target'));
      this.operationCount.set(operation, this.operationCount.get(operation)! + 1);
      const input = parseInput(request.body.toString('utf8'));
      const output = runOperation(this.cluster, operation, input, this.callers.get(accessKeyId)!);
      return { status: 200, body: output };
    } catch (error) {
      if (error instanceof ArcError) return errorReply(error);
      process.emitWarning(`ARC cluster emulator: ${(error as Error).stack ?? String(error)}`);
      return errorReply(arcErrors.internal(1));
    }
  }
}

function headerOf(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
