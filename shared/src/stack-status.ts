/**
 * The one rule for whether a stack's outputs can be trusted: they describe resources that exist and that
 * no operation is changing. Bookmark sync and the deploy-time failover-record step both apply it to the
 * ARC stack, so an API deployed during an ARC stack update cannot bake in a health check being replaced.
 *
 * CloudFormation's stack states (StackStatus): a *_COMPLETE state after a create, update, rollback of an
 * update, or import is stable and its outputs are those of the resources in place. Every *_IN_PROGRESS
 * state (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS and REVIEW_IN_PROGRESS included) is an operation under way;
 * every *_FAILED state leaves resources half-changed; ROLLBACK_COMPLETE is a first create that failed and
 * was rolled back (its resources are deleted); DELETE_* is a stack going or gone.
 */
const USABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

export function isUsableStackStatus(status: string | undefined): boolean {
  return USABLE.has(status ?? '');
}

export interface StackAt {
  stackName: string;
  region: string;
  status: string | undefined;
  /** The command that deploys it, e.g. `npm run deploy -w arc -- --stage prod`. */
  deploy: string;
}

/**
 * What to do about a stack before its outputs can be read: undefined when it is usable, else the fix, as
 * a phrase to follow "the ARC stack <name> is <status>: " and precede the caller's "; then <retry>".
 */
export function unusableStackFix({
  stackName,
  region,
  status,
  deploy: redeploy,
}: StackAt): string | undefined {
  if (isUsableStackStatus(status)) return undefined;
  const s = status ?? '';
  if (s === 'UPDATE_ROLLBACK_FAILED') {
    return `finish its rollback (aws cloudformation continue-update-rollback --stack-name ${stackName} --region ${region})`;
  }
  if (s === 'DELETE_FAILED') return 'deleting it failed: read its events and finish deleting it';
  if (s.startsWith('DELETE_')) return `it is being deleted or is deleted: deploy it again (${redeploy})`;
  if (s === 'ROLLBACK_COMPLETE' || s === 'ROLLBACK_FAILED') {
    return `its first deploy failed: read its events, delete it and deploy it again (${redeploy})`;
  }
  if (s.endsWith('_IN_PROGRESS')) return 'an operation on it is under way: wait until it ends';
  if (s.endsWith('_FAILED')) {
    return `its last operation failed: read its events, fix the cause and deploy it again (${redeploy})`;
  }
  return `not a state whose outputs can be trusted: deploy it again (${redeploy})`;
}
