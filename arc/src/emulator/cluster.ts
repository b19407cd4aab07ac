import type { RoutingControlState } from '@arc-failover/shared';
import { arcErrors } from './errors';
import {
  safetyRuleArn,
  type AssertionRuleSpec,
  type ClusterModel,
  type ControlPanel,
  type GatingRuleSpec,
  type RoutingControl,
  type SafetyRule,
} from './model';
import { describeViolation, describeWaitPeriod, ruleHolds } from './rules';

export interface StateChange {
  routingControlArn: string;
  state: RoutingControlState;
}

export type ChangeListener = (changes: StateChange[]) => void;

/**
 * The routing-control state every endpoint of the cluster shares, and the safety rules that guard it.
 * Node runs one request at a time, so every update is atomic: it applies whole or not at all.
 */
export class ClusterState {
  private readonly states = new Map<string, RoutingControlState>();
  private readonly controls = new Map<string, RoutingControl>();
  private readonly rules: SafetyRule[];
  private readonly lastChangeAt = new Map<string, number>();
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    readonly model: ClusterModel,
    private readonly now: () => number = () => performance.now(),
  ) {
    for (const control of model.routingControls) {
      this.controls.set(control.arn, control);
      this.states.set(control.arn, 'Off');
    }
    this.rules = [...model.safetyRules];
  }

  /** The routing control of an ARN; an unknown one is ARC's ResourceNotFoundException. */
  routingControl(arn: string): RoutingControl {
    const control = this.controls.get(arn);
    if (!control) throw arcErrors.notFound(arn, 'RoutingControl');
    return control;
  }

  stateOf(arn: string): RoutingControlState {
    this.routingControl(arn);
    return this.states.get(arn)!;
  }

  /** Every routing control, or those of one control panel, in the cluster's stable order. */
  list(controlPanelArn?: string): RoutingControl[] {
    if (controlPanelArn === undefined) return this.model.routingControls;
    this.controlPanel(controlPanelArn);
    return this.model.routingControls.filter((c) => c.controlPanel.arn === controlPanelArn);
  }

  safetyRules(): readonly SafetyRule[] {
    return this.rules;
  }

  /**
   * Applies a batch as ARC does: every rule that guards a named control must hold on the state after the
   * whole batch and be out of its wait period, unless overridden; otherwise nothing changes.
   */
  update(entries: StateChange[], safetyRulesToOverride: string[] = []): StateChange[] {
    for (const entry of entries) this.routingControl(entry.routingControlArn);
    const overridden = new Set(safetyRulesToOverride);
    for (const arn of overridden) {
      if (!this.rules.some((rule) => rule.arn === arn)) throw arcErrors.notFound(arn, 'SafetyRule');
    }

    const after = new Map(this.states);
    for (const entry of entries) after.set(entry.routingControlArn, entry.state);
    const named = new Set(entries.map((entry) => entry.routingControlArn));
    const now = this.now();
    for (const rule of this.rules) {
      if (overridden.has(rule.arn) || !rule.guarded.some((arn) => named.has(arn))) continue;
      const since = now - (this.lastChangeAt.get(rule.arn) ?? -Infinity);
      if (since < rule.waitPeriodMs) {
        throw arcErrors.conflict(describeWaitPeriod(rule, since), rule.arn, 'SafetyRule');
      }
      const evaluated = rule.evaluated.map((arn) => after.get(arn)!);
      if (!ruleHolds(rule.config, evaluated)) {
        const message = describeViolation(rule, evaluated, (arn) => this.controls.get(arn)!.name);
        throw arcErrors.conflict(message, rule.arn, 'SafetyRule');
      }
    }

    const changes = entries.filter((entry) => this.states.get(entry.routingControlArn) !== entry.state);
    if (changes.length === 0) return changes;
    for (const change of changes) this.states.set(change.routingControlArn, change.state);
    const changed = new Set(changes.map((change) => change.routingControlArn));
    for (const rule of this.rules) {
      if (rule.guarded.some((arn) => changed.has(arn))) this.lastChangeAt.set(rule.arn, now);
    }
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (error) {
        process.emitWarning(`a routing-control change listener threw: ${String(error)}`);
      }
    }
    return changes;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds a rule as ARC's CreateSafetyRule would; a mistake in the spec throws, naming it. */
  addSafetyRule(spec: AssertionRuleSpec | GatingRuleSpec, defaultWaitPeriodMs: number): SafetyRule {
    const isAssertion = 'AssertedControls' in spec;
    const guarded = isAssertion ? spec.AssertedControls : spec.TargetControls;
    const evaluated = isAssertion ? spec.AssertedControls : spec.GatingControls;
    const fail = (what: string) => new Error(`safety rule ${JSON.stringify(spec.Name)}: ${what}`);
    if (!spec.Name || /\s/.test(spec.Name)) throw fail('Name must be non-empty, without white space');
    if (guarded.length === 0 || evaluated.length === 0) throw fail('it names no routing controls');
    for (const arn of [...guarded, ...evaluated]) {
      if (!this.controls.has(arn)) throw fail(`${arn} is not a routing control of this cluster`);
    }
    const { Type, Threshold, Inverted } = spec.RuleConfig;
    if (!['ATLEAST', 'AND', 'OR'].includes(Type))
      throw fail(`RuleConfig.Type ${Type} is not ATLEAST, AND or OR`);
    if (Type === 'ATLEAST' && !(Number.isInteger(Threshold) && Threshold >= 1)) {
      throw fail('RuleConfig.Threshold of an ATLEAST rule must be a whole number of at least 1');
    }
    const controlPanel = spec.ControlPanelArn
      ? this.controlPanel(spec.ControlPanelArn)
      : this.controls.get(guarded[0]!)!.controlPanel;
    if (this.rules.some((rule) => rule.controlPanel === controlPanel && rule.name === spec.Name)) {
      throw fail(`the control panel ${controlPanel.name} already has a rule of that name`);
    }
    const rule: SafetyRule = {
      arn: safetyRuleArn(controlPanel, spec.Name),
      name: spec.Name,
      kind: isAssertion ? 'assertion' : 'gating',
      controlPanel,
      guarded: [...guarded],
      evaluated: [...evaluated],
      config: { Type, Threshold, Inverted: Boolean(Inverted) },
      waitPeriodMs: spec.WaitPeriodMs ?? defaultWaitPeriodMs,
    };
    this.rules.push(rule);
    return rule;
  }

  private controlPanel(arn: string): ControlPanel {
    const panel = this.model.controlPanels.find((p) => p.arn === arn);
    if (!panel) throw arcErrors.notFound(arn, 'ControlPanel');
    return panel;
  }
}
