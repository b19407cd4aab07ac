import { appendFileSync, mkdirSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';

/** Where a stage's audit log goes unless --audit-log names another file. */
export function defaultAuditPath(stage: string): string {
  return path.resolve(__dirname, '..', '..', 'audit', `${stage}.jsonl`);
}

export interface AuditEntry {
  action: 'switch' | 'sync';
  stage: string;
  outcome: string;
  [detail: string]: unknown;
}

/** Who is acting, as far as it is known without a network call. */
export function actor(accessKeyId?: string): Record<string, string> {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? 'unknown';
  }
  return { user, host: hostname(), ...(accessKeyId ? { accessKeyId } : {}) };
}

/**
 * Appends one JSON line. A log that cannot be written must not stop a failover at 3 a.m.: the caller
 * gets the reason back to show as a warning.
 */
export function appendAudit(file: string, entry: AuditEntry, accessKeyId?: string): string | undefined {
  const line = { at: new Date().toISOString(), who: actor(accessKeyId), ...entry };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    return undefined;
  } catch (error) {
    return `could not append to the audit log ${file}: ${(error as Error).message}`;
  }
}
