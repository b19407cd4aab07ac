import { isApprovalGate } from '../approval';
import type { Bookmark } from '../bookmark';
import { EndpointRejection } from '../dataplane/client';

/** A safety-rule ARN, as the cluster names one in a refusal. */
export const SAFETY_RULE_ARN =
  /arn:aws:route53-recovery-control::\d{12}:controlpanel\/[\w-]+\/safetyrule\/[\w-]+/;

/** The cluster's refusal of an update because of a safety rule, if that is what `error` is. */
export function safetyRuleConflict(error: unknown): (Error & { resourceId?: string }) | undefined {
  if (error instanceof EndpointRejection && error.error.name === 'ConflictException') {
    return error.error as Error & { resourceId?: string };
  }
  return undefined;
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
  if (rule && isApprovalGate(rule)) {
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
