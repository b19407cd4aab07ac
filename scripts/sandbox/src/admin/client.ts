import http from 'node:http';
import { text } from 'node:stream/consumers';
import { ADMIN_PATHS, type FaultReply, type FaultRequest, type SandboxStatus } from './protocol';
import { CommandError } from '@arc-failover/shared/command';

export class AdminError extends CommandError {
  override name = 'AdminError';
}

function call(adminUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL(path, adminUrl),
      {
        method,
        agent: false,
        timeout: 10_000,
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (response) => {
        // The sandbox's own short answer: no cap needed.
        void text(response).then((body) => {
          let parsed: { error?: string } | undefined;
          try {
            parsed = JSON.parse(body) as { error?: string };
          } catch {
            return reject(
              new AdminError(`the sandbox at ${adminUrl} answered ${response.statusCode} without JSON`),
            );
          }
          if (response.statusCode === 200) resolve(parsed);
          else reject(new AdminError(parsed?.error ?? `the sandbox answered ${response.statusCode}`));
        }, reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer in 10 s')));
    request.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AdminError(
          error.code === 'ECONNREFUSED'
            ? `no sandbox answers at ${adminUrl}: start one with "npm start"`
            : `the sandbox at ${adminUrl}: ${error.message}`,
        ),
      ),
    );
    request.end(payload);
  });
}

/** Client of a running sandbox's admin listener. */
export const admin = {
  status: (adminUrl: string) => call(adminUrl, 'GET', ADMIN_PATHS.status) as Promise<SandboxStatus>,
  fault: async (adminUrl: string, request: FaultRequest) =>
    ((await call(adminUrl, 'POST', ADMIN_PATHS.faults, request)) as FaultReply).message,
};
