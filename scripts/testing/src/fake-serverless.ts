import type { CloudFormationTemplate, Serverless } from '@arc-failover/shared/serverless';

/** osls's ServerlessError: what a plugin throws for a message meant for the user. */
export class ServerlessError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

export interface FakeServerlessOptions {
  service: string;
  stage: string;
  region: string;
  template?: CloudFormationTemplate;
  /** The resolved `custom` section, as serverless-domain-manager reads it. */
  custom?: Record<string, unknown>;
  serviceDir?: string;
  /** The command osls runs (default `deploy`). */
  commands?: string[];
  /** osls's credential provider; by default it yields static test credentials. */
  credentials?: () => Promise<unknown>;
}

/**
 * The part of osls's `serverless` object that the project's plugin and serverless-domain-manager use at
 * deploy time, with static credentials; AWS itself is mocked with aws-sdk-client-mock.
 */
export function fakeServerless(options: FakeServerlessOptions) {
  const { service, stage, region, custom = {}, serviceDir = process.cwd(), commands = ['deploy'] } = options;
  const credentials = options.credentials ?? (async () => TEST_CREDENTIALS);
  const template = options.template ?? { Resources: {} };
  const provider = {
    getStage: () => stage,
    getRegion: () => region,
    getAwsSdkV3Config: async ({ region: r = region }: { region?: string } = {}) => ({
      region: r,
      credentials,
    }),
  };
  const serverless = {
    processedInput: { commands },
    serviceDir,
    configurationFilename: 'serverless.ts',
    service: {
      service,
      custom,
      provider: { name: 'aws', stage, region, compiledCloudFormationTemplate: template },
    },
    providers: { aws: provider },
    getProvider: () => provider,
    classes: { Error: ServerlessError },
  };
  return serverless satisfies Serverless;
}

/** osls's plugin utilities (log, progress, writeText), recording what is logged. */
export function pluginUtils() {
  const lines: string[] = [];
  const record = (message: string) => void lines.push(message);
  const log = Object.assign(record, {
    info: record,
    notice: record,
    success: record,
    warning: record,
    error: record,
    verbose: () => {},
    debug: () => {},
  });
  const handle = { notice() {}, update() {}, remove() {} };
  return { lines, log, progress: { get: () => handle, create: () => handle }, writeText: record };
}
