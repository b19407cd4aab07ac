import { stackName, type StackContext } from './stack';
import type { StackResources } from './types';

/** What a config module may export next to its config: its stage-dependent CloudFormation. */
export interface StackConfigModule {
  resources?: (context: StackContext) => StackResources;
}

export class UnknownVariableError extends Error {
  override name = 'UnknownVariableError';
}

/**
 * The values behind `${topology:<address>}` in a serverless config, for the stage and Region osls resolved.
 * Addresses that have no value for this stack (e.g. a certificate ARN when the topology names the
 * certificate instead) resolve to null, so a config can write `${topology:certificateArn, null}`.
 */
export function topologyVariable(
  context: StackContext,
  address: string,
  loadConfigModule: () => StackConfigModule,
): unknown {
  const { topology } = context;
  const api = context.kind === 'api' ? context.api : undefined;
  const certificate = topology.certificate;
  const values: Record<string, () => unknown> = {
    stackName: () => stackName(context),
    hostedZoneId: () => topology.hostedZoneId,
    hostname: () => api?.hostname ?? null,
    certificateName: () => ('name' in certificate ? certificate.name : null),
    certificateArn: () =>
      'arnByRegion' in certificate ? (certificate.arnByRegion[context.region as never] ?? null) : null,
    resources: () => {
      const build = loadConfigModule().resources;
      if (!build)
        throw new UnknownVariableError('${topology:resources} needs the config to export resources(context)');
      return build(context);
    },
  };
  const value = values[address];
  if (!value) {
    throw new UnknownVariableError(
      `unknown variable \${topology:${address}} (known: ${Object.keys(values).join(', ')})`,
    );
  }
  return value();
}
