import http from 'node:http';
import type { SandboxStatus } from '../sandbox';
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
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          let parsed: { error?: string } | undefined;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: string };
          } catch {
            return reject(
              new AdminError(`the sandbox at ${adminUrl} answered ${response.statusCode} without JSON`),
            );
          }
          if (response.statusCode === 200) resolve(parsed);
          else reject(new AdminError(parsed?.error ?? `the sandbox answered ${response.statusCode}`));
        });
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
  status: (adminUrl: string) => call(adminUrl, 'GET', '/status') as Promise<SandboxStatus>,
  apiFault: async (adminUrl: string, api: string, region: string, fault: string) =>
    ((await call(adminUrl, 'POST', '/faults', { target: 'api', api, region, fault })) as { message: string })
      .message,
  arcFault: async (adminUrl: string, region: string, fault: string) =>
    ((await call(adminUrl, 'POST', '/faults', { target: 'arc', region, fault })) as { message: string })
      .message,
};
