import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';

/** Where a stage's audit log goes unless --audit-log names another file. */
export function defaultAuditPath(stage: string): string {
  return path.resolve(__dirname, '..', '..', 'audit', `${stage}.jsonl`);
}

export interface AuditEntry {
  action: 'switch' | 'sync' | 'approve' | 'revoke' | 'runbook';
  stage: string;
  /** A switch writes its intent before the first update and its outcome after; a sync writes its outcome. */
  phase?: 'intent' | 'outcome';
  outcome?: string;
  [detail: string]: unknown;
}

/** Who is acting, as far as it is known without a network call. */
export function actor(accessKeyId?: string): { user: string; host: string; accessKeyId?: string } {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? 'unknown';
  }
  return { user, host: hostname(), ...(accessKeyId ? { accessKeyId } : {}) };
}

/**
 * Appends one JSON line. A log that cannot be written must not stop or hang a failover at 3 a.m.: the
 * caller gets the reason back to show as a warning.
 */
export function appendAudit(file: string, entry: AuditEntry, accessKeyId?: string): string | undefined {
  try {
    const line = { at: new Date().toISOString(), who: actor(accessKeyId), ...entry };
    appendLine(file, `${JSON.stringify(line)}\n`);
    return undefined;
  } catch (error) {
    return `could not append to the audit log ${file}: ${(error as Error).message}`;
  }
}

/** Linux statfs f_type of the kernel's pseudo file systems: their "files" are kernel settings. */
const PSEUDO_FILE_SYSTEMS = new Map([
  [0x9fa0, '/proc'],
  [0x62656572, '/sys'],
]);

/**
 * One append that cannot block or spin: only a regular file on a real file system (a FIFO would block the
 * open, /proc/<pid>/mem accepts 0 bytes per write forever, /proc/sys files are kernel settings), opened
 * non-blocking, written by a single write call that must take the whole line.
 */
function appendLine(file: string, text: string): void {
  const directory = path.dirname(path.resolve(file));
  const existing = statSync(file, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) throw new Error('not a regular file');
  if (!existing) mkdirSync(directory, { recursive: true });
  const pseudo = PSEUDO_FILE_SYSTEMS.get(Number(statfsSync(directory).type));
  if (pseudo) throw new Error(`under ${pseudo}, not a file on disk`);
  const fd = openSync(
    file,
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK,
  );
  try {
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
    const bytes = Buffer.from(text);
    const written = writeSync(fd, bytes);
    if (written !== bytes.length) throw new Error(`only ${written} of ${bytes.length} bytes written`);
  } finally {
    closeSync(fd);
  }
}
