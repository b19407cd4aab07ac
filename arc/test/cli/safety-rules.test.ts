import { UsageError } from '../../src/cli/errors';
import { overrideArns } from '../../src/cli/safety-rules';
import { explainConflict } from '../../src/switchover';
import { bookmarkFor } from '@arc-failover/testing';

const bookmark = bookmarkFor();
const rule = bookmark.safetyRules.find((r) => r.service === 'service1')!;

describe('--override-safety-rule', () => {
  it('maps a rule name of the bookmark to its ARN', () => {
    expect(overrideArns(bookmark, ['service1-at-least-one-on'])).toEqual([rule.arn]);
  });

  it('takes a safety-rule ARN as it is, even one the bookmark does not list (e.g. a gating rule)', () => {
    const gating = 'arn:aws:route53-recovery-control::111122223333:controlpanel/p-x/safetyrule/gate-1';
    expect(overrideArns(bookmark, [gating, rule.arn, 'service1-at-least-one-on'])).toEqual([
      gating,
      rule.arn,
    ]);
  });

  it('rejects an unknown name before any call, listing the known ones', () => {
    expect(() => overrideArns(bookmark, ['service1-at-most-one'])).toThrow(UsageError);
    expect(() => overrideArns(bookmark, ['service1-at-most-one'])).toThrow(
      /no safety rule of that name in the bookmark \(known: external-api-at-least-one-on, service1-at-least-one-on, service2-at-least-one-on\)/,
    );
  });

  it('rejects something that only looks like an ARN', () => {
    expect(() => overrideArns(bookmark, ['arn:aws:route53-recovery-control::1:safetyrule/x'])).toThrow(
      UsageError,
    );
  });
});

describe('explaining a ConflictException', () => {
  it('tells the operator the approver must approve when a gating rule refused', () => {
    const arn = `${bookmark.services[1]!.controlPanelArn}/safetyrule/0123456789abcdef`;
    const gated = {
      ...bookmark,
      safetyRules: [
        ...bookmark.safetyRules,
        { name: 'service1-approval-gate', arn, service: 'service1', kind: 'gating' as const },
      ],
    };
    expect(explainConflict(gated, { message: 'gating rule refused.', resourceId: arn })).toBe(
      `approval gate "service1-approval-gate" (${arn}) refused the change, nothing was changed: gating rule refused. ` +
        'The approver must run "npm run switch -- approve service1" first (or break glass with --override-safety-rule service1-approval-gate)',
    );
    const other = { ...gated.safetyRules.at(-1)!, name: 'service1-needs-service2' };
    expect(explainConflict({ ...gated, safetyRules: [other] }, { message: 'no.', resourceId: arn })).toMatch(
      /^safety rule "service1-needs-service2" .* Wait and retry/,
    );
  });

  it('names the rule from the bookmark, its ARN, the reason and the override', () => {
    const line = explainConflict(bookmark, { message: 'needs at least 1 of 2 On.', resourceId: rule.arn });
    expect(line).toBe(
      `safety rule "service1-at-least-one-on" (${rule.arn}) refused the change, nothing was changed: needs at least 1 of 2 On. ` +
        'Wait and retry, change the plan, or break glass with --override-safety-rule service1-at-least-one-on',
    );
  });

  it('does not repeat the ARN when the cluster message already carries it', () => {
    const line = explainConflict(bookmark, {
      message: `Cannot update routing control states: assertion rule "x" (${rule.arn}) needs at least 1 On.`,
      resourceId: rule.arn,
    });
    expect(line).toMatch(
      /^safety rule "service1-at-least-one-on" refused the change, nothing was changed: Cannot update/,
    );
    expect(line.split(rule.arn)).toHaveLength(2);
    expect(line).not.toContain('\n');
  });

  it('offers the ARN itself for a rule the bookmark does not know', () => {
    const gating = 'arn:aws:route53-recovery-control::111122223333:controlpanel/p-x/safetyrule/gate-1';
    expect(explainConflict(bookmark, { message: 'blocked', resourceId: gating })).toContain(
      `--override-safety-rule ${gating}`,
    );
  });
});
