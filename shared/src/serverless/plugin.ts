import path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { require as tsxRequire } from 'tsx/cjs/api';
import { assertPreflight, awsClients, type PreflightTarget } from '../preflight';
import { checkDomainTarget, domainTargetOf } from './domain-target';
import { FAILOVER_RECORD_LOGICAL_ID, failoverRecord, readHealthCheckId } from './failover-record';
import { stackContext, type StackContext } from './stack';
import type { Serverless, ServerlessLog } from './types';
import { topologyVariable, type StackConfigModule } from './variables';

/**
 * The project's osls plugin. It resolves `${topology:...}` variables from shared/topology.json for the stage
 * and Region osls parsed, and at deploy time adds the stack's Route 53 failover alias record, once
 * serverless-domain-manager (listed before it) has put the custom domain's Regional target in the template.
 */
export default class TopologyPlugin {
  readonly configurationVariablesSources;
  readonly hooks;
  private readonly context: StackContext;

  constructor(
    private readonly serverless: Serverless,
    _options: unknown,
    private readonly io: { log: ServerlessLog },
  ) {
    const provider = serverless.getProvider('aws');
    this.context = this.oneLine(() =>
      stackContext(serverless.service.service, provider.getStage(), provider.getRegion()),
    );
    this.configurationVariablesSources = {
      topology: {
        resolve: ({ address }: { address?: string }) => ({
          value: this.oneLine(() => topologyVariable(this.context, address ?? '', () => this.configModule())),
        }),
      },
    };
    this.hooks = {
      initialize: () =>
        this.requireCredentials()
          .then(() => this.preflight())
          .catch((error: unknown) => {
            throw this.asServerlessError(error);
          }),
      'before:deploy:deploy': () =>
        this.addFailoverRecord().catch((error: unknown) => {
          throw this.asServerlessError(error);
        }),
    };
  }

  /**
   * Deploy and remove stop here, in one line, when osls finds no AWS credentials. Without this the first
   * AWS call would come later, after packaging, from serverless-domain-manager, whose failure is several
   * lines and a stack trace. Resolved through osls's own chain, so --aws-profile and provider.profile count.
   */
  private async requireCredentials(): Promise<void> {
    const [command] = this.serverless.processedInput.commands;
    if (command !== 'deploy' && command !== 'remove') return;
    const provider = this.serverless.getProvider('aws');
    const { credentials } = await provider.getAwsSdkV3Config({ region: provider.getRegion() });
    try {
      if (typeof credentials === 'function') await (credentials as () => Promise<unknown>)();
    } catch (error) {
      if ((error as { code?: string }).code !== 'AWS_CREDENTIALS_NOT_FOUND') throw error;
      const { service } = this.serverless.service;
      throw new CredentialsError(
        `no AWS credentials to ${command} ${service} (stage ${provider.getStage()}, ${provider.getRegion()}): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --aws-profile`,
      );
    }
  }

  /**
   * `sls deploy` of a whole stack checks, read-only, what this stack in this Region needs before osls
   * packages or changes anything (see ../preflight). Skipped when `arc-failover-stack deploy` started
   * this run, having checked the stack in all its Regions already.
   */
  private async preflight(): Promise<void> {
    const { commands } = this.serverless.processedInput;
    if (commands.length !== 1 || commands[0] !== 'deploy') return;
    if (process.env[PREFLIGHT_CHECKED_ENV] === '1') return;
    const { context } = this;
    const provider = this.serverless.getProvider('aws');
    const config = await provider.getAwsSdkV3Config({ region: context.region });
    const clients = awsClients((region) => ({ ...config, region }));
    const target: PreflightTarget =
      context.kind === 'arc' ? { kind: 'arc' } : { kind: 'api', api: context.api, regions: [context.region] };
    await assertPreflight(context.topology, [target], clients);
  }

  private async addFailoverRecord(): Promise<void> {
    const { context } = this;
    if (context.kind !== 'api') return;
    const { topology, api, region, role } = context;
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const target = domainTargetOf(template);
    checkDomainTarget(target, api, region);
    const config = await this.serverless
      .getProvider('aws')
      .getAwsSdkV3Config({ region: topology.arc.region });
    const healthCheckId = await readHealthCheckId(new CloudFormationClient(config), topology, api, region);
    template.Resources[FAILOVER_RECORD_LOGICAL_ID] = failoverRecord({ ...context, target, healthCheckId });
    this.io.log.info(
      `${role.toUpperCase()} failover record ${api.hostname} -> ${target.dnsName} (health check ${healthCheckId})`,
    );
  }

  /** The serverless config module itself, for what it exports besides the config (e.g. `resources`). */
  private configModule(): StackConfigModule {
    const file = path.join(this.serverless.serviceDir, this.serverless.configurationFilename);
    return tsxRequire(file, __filename) as StackConfigModule;
  }

  /** The project's errors are meant for the operator: one line, no stack trace. */
  private oneLine<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw this.asServerlessError(error);
    }
  }

  private asServerlessError(error: unknown): unknown {
    if (!(error instanceof Error) || !PROJECT_ERRORS.has(error.name)) return error;
    return new this.serverless.classes.Error(error.message, error.name);
  }
}

/** Set by `arc-failover-stack deploy` for the `sls deploy` runs it starts after its own preflight. */
export const PREFLIGHT_CHECKED_ENV = 'ARC_FAILOVER_PREFLIGHT_CHECKED';

class CredentialsError extends Error {
  override name = 'CredentialsError';
}

const PROJECT_ERRORS = new Set([
  'TopologyError',
  'FailoverRecordError',
  'UnknownVariableError',
  'CredentialsError',
  'PreflightError',
]);
