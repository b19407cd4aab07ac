import type { Bookmark } from '../bookmark';
import { SAFETY_RULE_ARN } from '../switchover';
import { UsageError } from './errors';

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
