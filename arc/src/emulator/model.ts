import { createHash } from 'node:crypto';
import {
  approvalControlName,
  controlPanelName,
  gatingRuleName,
  routingControlName,
  safetyRuleName,
  type Topology,
} from '@arc-failover/shared';

/** A safety rule's criteria, as in ARC's CreateSafetyRule API. */
export interface RuleConfig {
  Type: 'ATLEAST' | 'AND' | 'OR';
  /** N of an ATLEAST rule; ignored by AND and OR. */
  Threshold: number;
  /** Logical negation of the rule. */
  Inverted: boolean;
}

/** An assertion rule as ARC's CreateSafetyRule takes it; ControlPanelArn defaults to the first control's panel. */
export interface AssertionRuleSpec {
  Name: string;
  ControlPanelArn?: string;
  AssertedControls: string[];
  RuleConfig: RuleConfig;
  WaitPeriodMs?: number;
}

/** A gating rule as ARC's CreateSafetyRule takes it; ControlPanelArn defaults to the first target's panel. */
export interface GatingRuleSpec {
  Name: string;
  ControlPanelArn?: string;
  GatingControls: string[];
  TargetControls: string[];
  RuleConfig: RuleConfig;
  WaitPeriodMs?: number;
}

export interface ControlPanel {
  arn: string;
  name: string;
  /** The topology entry (entry API or service) the panel belongs to. */
  service: string;
}

export interface RoutingControl {
  arn: string;
  name: string;
  controlPanel: ControlPanel;
  service: string;
  /** The Region the control routes to; '' for an approval control. */
  region: string;
  /** An approval control (approval gate): gates the service's two routing controls, routes nothing. */
  approval?: true;
}

/**
 * Assertion and gating rules in one shape: a request that names any `guarded` control is allowed only if
 * `config` holds over the `evaluated` controls after the whole request. For an assertion rule both are the
 * asserted controls; for a gating rule the targets are guarded and the gating controls evaluated.
 */
export interface SafetyRule {
  arn: string;
  name: string;
  kind: 'assertion' | 'gating';
  controlPanel: ControlPanel;
  guarded: readonly string[];
  evaluated: readonly string[];
  config: RuleConfig;
  waitPeriodMs: number;
}

export interface ClusterModel {
  accountId: string;
  clusterArn: string;
  controlPanels: ControlPanel[];
  /** In a stable order: by control panel, then by the service's [primary, secondary] Regions. */
  routingControls: RoutingControl[];
  safetyRules: SafetyRule[];
}

const ARN_PREFIX = 'arn:aws:route53-recovery-control::';

/** Hex ids derived from their names, so ARNs stay the same across restarts for the same topology and account. */
function hexId(length: number, ...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, length);
}

function uuidFrom(hex: string): string {
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '-',
  );
}

export function safetyRuleArn(controlPanel: ControlPanel, name: string): string {
  return `${controlPanel.arn}/safetyrule/${hexId(16, controlPanel.arn, 'safetyrule', name)}`;
}

/**
 * The cluster the ARC stack would create for this topology: one control panel per entry of `topology.all`,
 * one routing control per (service, Region), one ATLEAST-1 assertion rule per service, with the stack's names;
 * with the topology's approval gate, per service an approval control and a gating rule on its two controls,
 * as the stack's template (arc/src/stack/template.ts) makes them.
 */
export function buildClusterModel(topology: Topology, accountId: string, waitPeriodMs: number): ClusterModel {
  const account = `${ARN_PREFIX}${accountId}`;
  const clusterArn = `${account}:cluster/${uuidFrom(hexId(32, accountId, topology.project, topology.stage))}`;
  const controlPanels: ControlPanel[] = [];
  const routingControls: RoutingControl[] = [];
  const safetyRules: SafetyRule[] = [];

  for (const service of topology.all) {
    const name = controlPanelName(topology, service);
    const controlPanel: ControlPanel = {
      arn: `${account}:controlpanel/${hexId(32, clusterArn, 'controlpanel', name)}`,
      name,
      service: service.name,
    };
    controlPanels.push(controlPanel);
    const controls = service.regions.map((region) => {
      const controlName = routingControlName(service, region);
      return {
        arn: `${controlPanel.arn}/routingcontrol/${hexId(16, controlPanel.arn, 'routingcontrol', controlName)}`,
        name: controlName,
        controlPanel,
        service: service.name,
        region,
      };
    });
    routingControls.push(...controls);
    const ruleName = safetyRuleName(service);
    const asserted = controls.map((c) => c.arn);
    safetyRules.push({
      arn: safetyRuleArn(controlPanel, ruleName),
      name: ruleName,
      kind: 'assertion',
      controlPanel,
      guarded: asserted,
      evaluated: asserted,
      config: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
      waitPeriodMs,
    });
    if (!topology.arc.approvalGate) continue;
    const approvalName = approvalControlName(service);
    const approval: RoutingControl = {
      arn: `${controlPanel.arn}/routingcontrol/${hexId(16, controlPanel.arn, 'routingcontrol', approvalName)}`,
      name: approvalName,
      controlPanel,
      service: service.name,
      region: '',
      approval: true,
    };
    routingControls.push(approval);
    const gateName = gatingRuleName(service);
    safetyRules.push({
      arn: safetyRuleArn(controlPanel, gateName),
      name: gateName,
      kind: 'gating',
      controlPanel,
      guarded: asserted,
      evaluated: [approval.arn],
      config: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
      waitPeriodMs,
    });
  }
  return { accountId, clusterArn, controlPanels, routingControls, safetyRules };
}
