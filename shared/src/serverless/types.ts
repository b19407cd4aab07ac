/** The parts of a CloudFormation template the stacks build and inspect. */
export interface CloudFormationTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Resources: Record<string, CloudFormationResource>;
  Outputs?: Record<string, CloudFormationOutput>;
}

export interface CloudFormationResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
}

export interface CloudFormationOutput {
  Value: unknown;
  Description?: string;
  Export?: { Name: unknown };
}

/** The stack-specific part of a serverless config: CloudFormation resources and outputs. */
export type StackResources = Pick<CloudFormationTemplate, 'Resources' | 'Outputs'>;

/** The few parts of osls's `serverless` object the project's plugin uses. */
export interface Serverless {
  /** The command line as osls parsed it: `commands` is e.g. ['deploy'] or ['deploy', 'function']. */
  processedInput: { commands: string[] };
  serviceDir: string;
  configurationFilename: string;
  service: {
    service: string;
    provider: { compiledCloudFormationTemplate: CloudFormationTemplate };
  };
  getProvider(name: 'aws'): AwsProvider;
  classes: { Error: new (message: string, code?: string) => Error };
}

export interface AwsProvider {
  getStage(): string;
  getRegion(): string;
  /** An AWS SDK v3 client configuration with osls's credentials (profile, env, SSO...) for a Region. */
  getAwsSdkV3Config(options: { region: string }): Promise<Record<string, unknown>>;
}

export interface ServerlessLog {
  info(message: string): void;
  verbose(message: string): void;
}
