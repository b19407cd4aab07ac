import { gatingRuleName } from '@arc-failover/shared';
import type { Bookmark } from '../bookmark';
import { UsageError } from './errors';

const SAFETY_RULE_ARN = /arn:aws:route53-recovery-control::\d{12}:controlpanel\/[\w-]+\/safetyrule\/[\w-]+/;
const WHOLE_SAFETY_RULE_ARN = new RegExp(`^${SAFETY_RULE_ARN.source}$`);

/** `--override-safety-rule` values (rule names from the bookmark, or safety-rule ARNs) as ARNs. */
export function overrideArns(bookmark: Bookmark, values: string[]): string[] {
  const arns = values.map((value) => {
    if (WHOLE_SAFETY_RULE_ARN.test(value)) return value;
    const rule = bookmark.safetyRules.find((r) => r.name === value);
    if (!rule) {
      const known = bookmark.safetyRules.map((r) => r.name).join(', ') || 'none';
      throw new UsageError(
        `--override-safety-rule ${value}: no safety rule of that name in the bookmark (known: ${known}); give a name or a safety-rule ARN`,
      );
    }
    return rule.arn;
  });
  return [...new Set(arns)];
}

/**
 * One line for a change the cluster refused because of a safety rule: which rule (name and ARN), the
 * cluster's reason, and the break-glass flag that would override it.
 */
export function explainConflict(bookmark: Bookmark, error: { message: string; resourceId?: string }): string {
  const arn = SAFETY_RULE_ARN.exec(`${error.resourceId ?? ''} ${error.message}`)?.[0];
  const reason = error.message.replace(/\.$/, '');
  if (!arn) return `the cluster refused the change, nothing was changed: ${reason}`;
  const rule = bookmark.safetyRules.find((r) => r.arn === arn);
  const named = rule ? `"${rule.name}"` : arn;
  const name = rule && !reason.includes(arn) ? `${named} (${arn})` : named;
  // the approval gate's own rule; another gating rule (e.g. one API waiting on another) is a plain rule
  if (rule?.kind === 'gating' && rule.name === gatingRuleName({ name: rule.service })) {
    return (
      `approval gate ${name} refused the change, nothing was changed: ${reason}. ` +
      `The approver must run "npm run switch -- approve ${rule.service}" first (or break glass with --override-safety-rule ${rule.name})`
    );
  }
  return (
    `safety rule ${name} refused the change, nothing was changed: ${reason}. ` +
    `Wait and retry, change the plan, or break glass with --override-safety-rule ${rule?.name ?? arn}`
  );
}
