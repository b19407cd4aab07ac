import type { RoutingControlState } from '@arc-failover/shared';
import type { RuleConfig, SafetyRule } from './model';

/** Whether a rule's criteria hold over the states of its evaluated controls. */
export function ruleHolds(config: RuleConfig, states: readonly RoutingControlState[]): boolean {
  const on = states.filter((state) => state === 'On').length;
  const holds =
    config.Type === 'AND' ? on === states.length : config.Type === 'OR' ? on > 0 : on >= config.Threshold;
  return config.Inverted ? !holds : holds;
}

function criteria(config: RuleConfig, names: string[]): string {
  const quantity =
    config.Type === 'AND' ? 'all' : config.Type === 'OR' ? 'at least one' : `at least ${config.Threshold}`;
  const phrase = `${quantity} of ${names.join(', ')} On`;
  return config.Inverted ? `NOT (${phrase})` : phrase;
}

/** One line saying which rule a change breaks and why, naming controls as operators know them. */
export function describeViolation(
  rule: SafetyRule,
  after: readonly RoutingControlState[],
  nameOf: (arn: string) => string,
): string {
  const on = after.filter((state) => state === 'On').length;
  const needs = criteria(rule.config, rule.evaluated.map(nameOf));
  const what =
    rule.kind === 'assertion'
      ? `assertion rule "${rule.name}" (${rule.arn}) needs ${needs}`
      : `gating rule "${rule.name}" (${rule.arn}) lets ${rule.guarded.map(nameOf).join(', ')} change only with ${needs}`;
  return `Cannot update routing control states: ${what}, but after this change ${on} of ${after.length} would be On. Name the rule in SafetyRulesToOverride to override it.`;
}

export function describeWaitPeriod(rule: SafetyRule, sinceMs: number): string {
  const left = Math.max(1, Math.ceil(rule.waitPeriodMs - sinceMs));
  return `Cannot update routing control states: ${rule.kind} rule "${rule.name}" (${rule.arn}) is in its wait period of ${rule.waitPeriodMs} ms after its controls last changed; try again in ${left} ms.`;
}
