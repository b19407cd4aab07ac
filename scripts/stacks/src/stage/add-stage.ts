import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TOPOLOGY_FILE, parseTopology, TopologyError } from '@arc-failover/shared';
import type { AwsClients } from '@arc-failover/shared/preflight';
import { ARC_STACK } from '@arc-failover/shared/serverless';
import type { StageAddOptions } from './args';
import { lookUpStage, type StageFindings } from './lookup';
import type { Json } from './render-json';
import { withStage } from './topology-text';

type Stage = Record<string, Json>;

/** The keys this command writes; any other key of a stage it replaces (e.g. `sandbox`) is kept. */
const WRITTEN = ['domain', 'hostedZoneId', 'certificateName', 'certificateArns', 'arc'];

export interface AddStageContext {
  clients: AwsClients;
  /** The topology file (default: ARC_FAILOVER_TOPOLOGY, else shared/topology.json). */
  file?: string;
  now?: Date;
}

/**
 * `npm run stage -- add`: looks up, read-only, the hosted zone, the certificates and the cluster of a
 * new stage and writes it into the topology file, every other byte of the file as it was. Refuses an
 * existing stage without --force, and writes nothing unless the whole topology then validates.
 * Returns the lines to print.
 */
export async function addStage(
  options: StageAddOptions,
  {
    clients,
    file = process.env.ARC_FAILOVER_TOPOLOGY ?? DEFAULT_TOPOLOGY_FILE,
    now = new Date(),
  }: AddStageContext,
): Promise<string[]> {
  const name = path.basename(file);
  const fail = (key: string, message: string) => new TopologyError(`${name}: ${key}: ${message}`);
  let text: string;
  let doc: { project?: unknown; stages?: Record<string, Stage> };
  try {
    text = readFileSync(file, 'utf8');
    doc = JSON.parse(text) as typeof doc;
  } catch (error) {
    throw new TopologyError(`${file}: cannot read the topology (${(error as Error).message.split('\n')[0]})`);
  }
  const key = `stages.${options.stage}`;
  const existing = doc.stages?.[options.stage];
  if (existing && !options.force) throw fail(key, 'already exists: pass --force to replace it');

  // The stage as it will be, with a stand-in zone and certificate: its Regions and hostnames, and every
  // other part of the file checked, before anything is asked of AWS.
  const draft = (findings: StageFindings) => stageEntry(String(doc.project), options, findings, existing);
  const { certificateArns: _none, ...standIn } = draft({ hostedZoneId: 'ZPROVISIONAL', certificateArns: {} });
  const provisional = parseTopology(
    {
      ...doc,
      stages: { ...doc.stages, [options.stage]: { ...standIn, certificateName: `*.${options.domain}` } },
    },
    options.stage,
    name,
  );
  const findings = await lookUpStage(provisional, options, clients, now);
  const entry = draft(findings);
  const updated = withStage(text, options.stage, entry);
  parseTopology(JSON.parse(updated), options.stage, name);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, updated);
  renameSync(temporary, file);

  const arc = entry.arc as { stackName: string; clusterArn?: string };
  return [
    `${existing ? 'replaced' : 'added'} stage ${options.stage} in ${file}:`,
    `  hosted zone ${findings.hostedZoneId} (public, ${options.domain})`,
    ...Object.entries(findings.certificateArns).map(([region, arn]) => `  certificate in ${region}: ${arn}`),
    `  ARC stack ${arc.stackName} in us-west-2, ${arc.clusterArn ? `cluster ${arc.clusterArn}` : 'creating its own cluster (about $2.50/hour; 2 per account)'}`,
    `next: npm run deploy -- --stage ${options.stage}`,
  ];
}

/** The stage's entry: what was found, the ARC stack's name (an existing stage's, or the default). */
function stageEntry(
  project: string,
  options: StageAddOptions,
  found: StageFindings,
  existing?: Stage,
): Stage {
  const previousArc = (existing?.arc ?? {}) as { stackName?: string; clusterArn?: string };
  const clusterArn = options.clusterArn ?? previousArc.clusterArn;
  const kept = Object.fromEntries(Object.entries(existing ?? {}).filter(([k]) => !WRITTEN.includes(k)));
  return {
    domain: options.domain,
    hostedZoneId: found.hostedZoneId,
    certificateArns: Object.fromEntries(
      Object.entries(found.certificateArns).sort(([a], [b]) => a.localeCompare(b)),
    ),
    arc: {
      // Like an API stack's name, `<project>-<service>-<stage>`.
      stackName: previousArc.stackName ?? `${project}-${ARC_STACK}-${options.stage}`,
      region: 'us-west-2',
      ...(clusterArn && { clusterArn }),
    },
    ...kept,
  };
}
