/** A problem a deploy can only report: one line saying what to do. */
export class FailoverRecordError extends Error {
  override name = 'FailoverRecordError';
}
