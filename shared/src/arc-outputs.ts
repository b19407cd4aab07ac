import { outputKeys } from './naming';
import type { Service } from './topology';

/**
 * The ARC stack's compact output of one API: one output per API (CloudFormation allows 200 per stack),
 * its value the API's ARC resources joined with `|`, in this order:
 *
 *   <control panel ARN>|<safety rule ARN>|<primary Region>|<its routing control ARN>|<its health check id>|<secondary Region>|<its routing control ARN>|<its health check id>[|<approval control ARN>|<gating rule ARN>]
 *
 * The last two fields are there only when the stage has the approval gate (arc.approvalGate): a stack
 * without it writes the same 8 fields as before, and every reader takes both forms.
 * The template writes it (apiOutputValue) and every reader parses it (parseApiOutput): bookmark sync and
 * the deploy-time failover-record step. ARNs, Region names and health-check ids never contain `|`.
 */
export const API_OUTPUT_SEPARATOR = '|';

/** An API's ARC resources as the stack's output gives them. */
export interface ApiArcResources {
  controlPanelArn: string;
  safetyRuleArn: string;
  /** By Region: the API's routing control there and the RECOVERY_CONTROL health check on it. */
  regions: Record<string, { routingControlArn: string; healthCheckId: string }>;
  /** With the approval gate: the API's approval routing control and the gating rule it guards with. */
  gate?: { approvalControlArn: string; gatingRuleArn: string };
}

interface Parts<T> {
  controlPanelArn: T;
  safetyRuleArn: T;
  regions: Record<string, { routingControlArn: T; healthCheckId: T }>;
  gate?: { approvalControlArn: T; gatingRuleArn: T };
}

/** The fields in their order: panel, rule, then Region, control and health check per Region of the API. */
function fieldsOf<T>(api: Service, parts: Parts<T>): (T | string)[] {
  const perRegion = api.regions.flatMap((region) => {
    const { routingControlArn, healthCheckId } = parts.regions[region]!;
    return [region, routingControlArn, healthCheckId];
  });
  const gate = parts.gate ? [parts.gate.approvalControlArn, parts.gate.gatingRuleArn] : [];
  return [parts.controlPanelArn, parts.safetyRuleArn, ...perRegion, ...gate];
}

/** The output's value in the template: CloudFormation joins the resolved ARNs and ids at deploy time. */
export function apiOutputValue(api: Service, parts: Parts<unknown>): unknown {
  return { 'Fn::Join': [API_OUTPUT_SEPARATOR, fieldsOf(api, parts)] };
}

/** The value DescribeStacks reports for the output, given the resolved ARNs and ids (tests, emulations). */
export function formatApiOutput(api: Service, resources: ApiArcResources): string {
  return fieldsOf(api, resources).join(API_OUTPUT_SEPARATOR);
}

/** A missing or malformed API output; `problem` says which, for the reader to add its own fix. */
export class ApiOutputError extends Error {
  override name = 'ApiOutputError';
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`output ${key} ${problem}`);
  }
}

const PANEL_ARN = /^arn:aws:route53-recovery-control::\d{12}:controlpanel\/[\w-]+$/;
const HEALTH_CHECK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = 2 + 3 * 2;
const GATED_FIELDS = FIELDS + 2;

/**
 * Reads an API's output (`value` as DescribeStacks gives it, undefined when absent) and checks it: the
 * API's two Regions in order, a control panel ARN, and a rule and two routing controls of that panel.
 */
export function parseApiOutput(api: Service, value: string | undefined): ApiArcResources {
  const key = outputKeys.api(api);
  if (value === undefined || value === '') throw new ApiOutputError(key, 'is missing');
  const fields = value.split(API_OUTPUT_SEPARATOR);
  const wrong = (what: string) => new ApiOutputError(key, `is not this topology's ${api.name}: ${what}`);
  if (fields.length !== FIELDS && fields.length !== GATED_FIELDS) {
    throw wrong(
      `${fields.length} fields, not ${FIELDS} or ${GATED_FIELDS} (panel|rule|region|control|health check|…[|approval control|gating rule])`,
    );
  }
  const [controlPanelArn, safetyRuleArn, ...rest] = fields as [string, string, ...string[]];
  const perRegion = rest.slice(0, 6);
  if (!PANEL_ARN.test(controlPanelArn)) throw wrong(`"${controlPanelArn}" is not a control panel ARN`);
  if (!childOf(controlPanelArn, 'safetyrule', safetyRuleArn)) {
    throw wrong(`"${safetyRuleArn}" is not a safety rule of its control panel`);
  }
  const regions: ApiArcResources['regions'] = {};
  api.regions.forEach((region, i) => {
    const [r, routingControlArn, healthCheckId] = perRegion.slice(i * 3, i * 3 + 3) as [
      string,
      string,
      string,
    ];
    if (r !== region) throw wrong(`Region ${i + 1} is ${r}, the topology says ${region}`);
    if (!childOf(controlPanelArn, 'routingcontrol', routingControlArn)) {
      throw wrong(`"${routingControlArn}" is not a routing control of its control panel`);
    }
    if (!HEALTH_CHECK_ID.test(healthCheckId)) {
      throw wrong(`"${healthCheckId}" is not a Route 53 health check id`);
    }
    regions[region] = { routingControlArn, healthCheckId };
  });
  if (fields.length === FIELDS) return { controlPanelArn, safetyRuleArn, regions };
  const [approvalControlArn, gatingRuleArn] = rest.slice(6) as [string, string];
  if (!childOf(controlPanelArn, 'routingcontrol', approvalControlArn)) {
    throw wrong(`"${approvalControlArn}" is not an approval routing control of its control panel`);
  }
  if (!childOf(controlPanelArn, 'safetyrule', gatingRuleArn)) {
    throw wrong(`"${gatingRuleArn}" is not a gating rule of its control panel`);
  }
  return { controlPanelArn, safetyRuleArn, regions, gate: { approvalControlArn, gatingRuleArn } };
}

/** `<panel ARN>/<kind>/<id>`: the ARN of a resource inside that control panel. */
function childOf(controlPanelArn: string, kind: string, arn: string): boolean {
  const prefix = `${controlPanelArn}/${kind}/`;
  return arn.startsWith(prefix) && /^[\w-]+$/.test(arn.slice(prefix.length));
}
