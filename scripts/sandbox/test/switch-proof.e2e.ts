import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessRun } from '@arc-failover/shared';
import type { ApiStatus, ExecutionReport, SwitchStepReport } from '@arc-failover/arc';
import { admin } from '../src/admin/client';
import { SLOW_FAULT_MS, type ApiFault } from '../src/api-gateway/regional-api';
import { reportFiles, runSwitchCli, type ReportFiles } from '../src/commands/demo/switch-cli';
import { queryUdp } from './helpers/dns-query';
import { startHarness, type Harness } from './helpers/sandbox-harness';

// One sandbox for the file; every switch is the real CLI process, as an operator runs it.
jest.setTimeout(30_000);

const TTL_SECONDS = 1;
const WAIT_PERIOD_MS = 200;
/** The readiness gate's total timeout (arc/src/readiness: DEFAULT_READINESS). */
const READINESS_TIMEOUT_MS = 2000;

interface ProbeRow {
  api: string;
  dnsRegion?: string;
  httpRegion?: string;
}

/**
 * What a user sees of the readiness gate, of --wait's proof and its report, and of status --probe, against
 * the sandbox: real Lambda bundles, a real DNS server, the cluster emulation.
 */
describe('switch readiness and proof against the sandbox', () => {
  let h: Harness;
  /** Report files the CLI wrote (it writes them to arc/reports/<stage>/ only): removed after the file. */
  const written: ReportFiles[] = [];

  const regionalUrl = (api: string, region: string) => `${h.sandbox.urls[api]![region]!}/`;
  const setApiFault = (api: string, region: string, fault: ApiFault) =>
    admin.fault(h.sandbox.adminUrl, { target: 'api', api, region, fault });
  const status = async (...flags: string[]) => {
    const run = await runSwitchCli(['status', ...flags], { bookmark: h.bookmarkFile });
    expect({ exitCode: run.exitCode, stderr: run.exitCode === 0 ? '' : run.stderr }).toEqual({
      exitCode: 0,
      stderr: '',
    });
    return run;
  };
  /** Each API's routing controls and Region, as `status --json` reads them from the cluster. */
  const routing = async () => {
    const doc = JSON.parse((await status('--json')).stdout) as { apis: ApiStatus[] };
    return Object.fromEntries(
      doc.apis.map((a) => [a.name, `${a.controls.map((c) => `${c.region} ${c.state}`).join(', ')}`]),
    );
  };
  const auditOutcomes = () =>
    readFileSync(h.auditLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.phase === 'outcome');
  /** Exit status 0; on failure the assertion shows the CLI's one line. */
  const succeeded = (run: ProcessRun) =>
    expect({ exitCode: run.exitCode, error: run.exitCode === 0 ? '' : run.stderr }).toEqual({
      exitCode: 0,
      error: '',
    });
  /** Its report, kept for removal after the file. */
  const reportOf = (run: ProcessRun): ReportFiles => {
    const files = reportFiles(run.stdout);
    expect(files).toBeDefined();
    written.push(files!);
    return files!;
  };
  const waitOutSafetyRule = () => sleep(WAIT_PERIOD_MS + 50);
  const onPrimary = {
    'external-api': 'us-east-1 On, us-west-2 Off',
    service1: 'us-east-1 On, us-west-2 Off',
    service2: 'us-west-2 On, us-east-1 Off',
  };

  beforeAll(async () => {
    h = await startHarness({ ttlSeconds: TTL_SECONDS, waitPeriodMs: WAIT_PERIOD_MS });
  });
  afterAll(async () => {
    await h?.stop();
    for (const files of written) for (const file of Object.values(files)) rmSync(file, { force: true });
  });

  describe('the readiness gate refuses a target that does not answer 2xx, and changes nothing', () => {
    it.each<[ApiFault, RegExp]>([
      ['down', /refused \(ECONNREFUSED: [^)]*\) after \d+ ms/],
      ['error', /HTTP 500 after \d+ ms/],
      ['slow', /timeout \(no answer within 2000 ms\) after (\d+) ms/],
    ])('service1 %s in us-west-2', async (fault, answer) => {
      // a slow target must answer later than the gate waits, or it would pass
      expect(SLOW_FAULT_MS).toBeGreaterThan(READINESS_TIMEOUT_MS);
      await setApiFault('service1', 'us-west-2', fault);
      try {
        const run = await h.switch('service1', '--to', 'secondary');
        expect(run.exitCode).toBe(1);
        const lines = run.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        const prefix = `error: not switching, nothing changed: service1 is not ready in us-west-2: GET ${regionalUrl('service1', 'us-west-2')} answered `;
        expect(lines[0]!.startsWith(prefix)).toBe(true);
        const rest = lines[0]!.slice(prefix.length);
        expect(rest).toMatch(
          new RegExp(`^${answer.source} \\(fix the target, or break glass with --skip-readiness\\)$`),
        );
        if (fault === 'slow') {
          const waited = Number(answer.exec(rest)![1]);
          expect(waited).toBeGreaterThanOrEqual(READINESS_TIMEOUT_MS);
          expect(waited).toBeLessThan(READINESS_TIMEOUT_MS + 1500);
        }
        expect(run.stdout).not.toContain('Switched');
        expect(await routing()).toEqual(onPrimary);
        expect(auditOutcomes().at(-1)).toMatchObject({
          outcome: 'refused',
          skippedReadiness: false,
          readiness: [{ api: 'service1', region: 'us-west-2', ready: false }],
        });
      } finally {
        await setApiFault('service1', 'us-west-2', 'up');
      }
    });
  });

  it('--skip-readiness breaks glass: the switch goes ahead with the target down, and the audit log says so', async () => {
    await setApiFault('service1', 'us-west-2', 'down');
    try {
      const run = await h.switch('service1', '--to', 'secondary', '--skip-readiness');
      succeeded(run);
      expect(run.stdout).toContain(
        'Readiness: skipped (--skip-readiness, break glass): the target Regions were not checked; recorded in the audit log.',
      );
      expect(run.stdout).toContain('Switched service1: traffic now on us-west-2 (secondary)');
      expect((await routing()).service1).toBe('us-east-1 Off, us-west-2 On');
      const outcome = auditOutcomes().at(-1)!;
      expect(outcome).toMatchObject({ outcome: 'switched', skippedReadiness: true });
      expect(outcome.readiness).toBeUndefined();
    } finally {
      await setApiFault('service1', 'us-west-2', 'up');
    }
    await waitOutSafetyRule();
    // back, through the gate: the primary answers
    succeeded(await h.switch('service1', '--to', 'primary'));
    expect(await routing()).toEqual(onPrimary);
    await waitOutSafetyRule();
  });

  describe('--wait', () => {
    let files: ReportFiles;
    let run: ProcessRun;
    beforeAll(async () => {
      run = await h.switch('service1', '--to', 'secondary', '--wait');
    });

    it('proves the move in DNS and HTTP, then says where the report is', () => {
      succeeded(run);
      expect(run.stdout).toMatch(
        /^Proven service1: DNS shows us-west-2 after \d+\.\d s \(127\.0\.0\.1:\d+\); HTTP answers from us-west-2 after \d+\.\d s\.$/m,
      );
      files = reportOf(run);
      expect(run.stdout).toContain(`Report: ${files.markdown} (JSON ${files.json}, timeline ${files.svg})`);
      for (const file of Object.values(files)) expect(existsSync(file)).toBe(true);
      expect(auditOutcomes().at(-1)).toMatchObject({
        outcome: 'switched',
        report: files,
        proof: {
          proven: true,
          apis: [
            { api: 'service1', region: 'us-west-2', dnsMs: expect.any(Number), httpMs: expect.any(Number) },
          ],
        },
      });
    });

    it('the JSON report has the plan, the readiness answer and the proof’s times', () => {
      const report = JSON.parse(readFileSync(files.json, 'utf8')) as ExecutionReport;
      expect(report).toMatchObject({ kind: 'switch', stage: 'local', outcome: 'proven', exitCode: 0 });
      const step = report.steps[0] as SwitchStepReport;
      expect(step.apis).toEqual([
        expect.objectContaining({ api: 'service1', from: 'us-east-1', to: 'us-west-2', changes: true }),
      ]);
      expect(step.readiness).toEqual([
        expect.objectContaining({
          api: 'service1',
          region: 'us-west-2',
          url: regionalUrl('service1', 'us-west-2'),
          ready: true,
          status: 200,
        }),
      ]);
      expect(step.proof).toMatchObject({ proven: true });
      const [proof] = step.proof!.apis;
      expect(proof).toMatchObject({ api: 'service1', region: 'us-west-2' });
      expect([typeof proof!.dnsMs, typeof proof!.httpMs]).toEqual(['number', 'number']);
      // the entry's resolver keeps its answer for the TTL: HTTP follows within it, plus a poll
      expect(proof!.httpMs!).toBeLessThan(TTL_SECONDS * 1000 + 3000);
    });

    it('the Markdown has the plan, readiness and proof, and embeds the timeline by its file name', () => {
      const markdown = readFileSync(files.markdown, 'utf8');
      for (const heading of ['### Plan', '### Readiness', '### Proof']) expect(markdown).toContain(heading);
      expect(markdown).toContain(`![timeline](${path.basename(files.svg)})`);
      expect(markdown).toMatch(
        /\| service1 \| us-west-2 \| `http:\/\/127\.0\.2\.2:\d+\/` \| HTTP 200 \| ready \|/,
      );
    });

    it('the SVG timeline has a lane for service1 with both Regions, and the update, DNS and HTTP marks', () => {
      const svg = readFileSync(files.svg, 'utf8');
      const lane = /<g class="lane" data-api="service1" data-regions="([^"]*)">[\s\S]*?<\/g>/.exec(svg);
      expect(lane).not.toBeNull();
      // the Region that served it before the update, then the one the proof saw
      expect(lane![1]!.split(' ')).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2']));
      for (const region of ['us-east-1', 'us-west-2']) {
        expect(lane![0]).toContain(`class="segment served" data-region="${region}"`);
      }
      // the update spans every lane; DNS and HTTP are ticks on service1's own
      expect(svg).toContain('<g class="marker update" data-step="1"');
      for (const tick of ['dns', 'http']) {
        expect(lane![0]).toContain(`<line class="marker ${tick}" data-api="service1" data-step="1"`);
      }
    });

    it('status --probe shows DNS and HTTP beside the controls, agreeing after the switch', async () => {
      const text = (await status('--probe')).stdout;
      expect(text).toContain("What the zone's name servers answer and where each public URL answers from:");
      const address = new URL(regionalUrl('service1', 'us-west-2')).hostname;
      expect(text).toMatch(
        new RegExp(
          `^service1 +us-west-2 +A ${address.replace(/\./g, '\\.')} \\(us-west-2\\) +us-west-2$`,
          'm',
        ),
      );
      expect(text).not.toContain('DIFFERS');
      const doc = JSON.parse((await status('--probe', '--json')).stdout) as {
        apis: ApiStatus[];
        probe: ProbeRow[];
      };
      expect(doc.probe.map((p) => [p.api, p.dnsRegion, p.httpRegion])).toEqual(
        doc.apis.map((a) => [a.name, a.servingRegion, a.servingRegion]),
      );
      expect(doc.apis.find((a) => a.name === 'service1')!.servingRegion).toBe('us-west-2');
    });
  });

  it('--wait --wait-timeout 1 with DNS not following: switched, not proven, exit 4; status --probe shows it', async () => {
    await waitOutSafetyRule();
    const stale = await h.fault('dns', 'service1', 'stale');
    expect([stale.exitCode, stale.stdout.trim()]).toEqual([
      0,
      "service1's record stays on us-west-2, whatever its routing controls say",
    ]);
    const secondary = new URL(regionalUrl('service1', 'us-west-2')).hostname;
    try {
      const run = await h.switch('service1', '--to', 'primary', '--wait', '--wait-timeout', '1');
      expect(run.exitCode).toBe(4);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        /^error: switched, but not proven within --wait-timeout 1 s: the name servers still answer A 127\.0\.2\.2 \(us-west-2\) for service1\.example\.com, not us-east-1's record; .*not us-east-1\n$/,
      );
      expect(run.stdout).toContain('Switched service1: traffic now on us-east-1 (primary)');
      expect(run.stdout).toMatch(/^Not proven service1: DNS still /m);
      const files = reportOf(run);
      expect(JSON.parse(readFileSync(files.json, 'utf8'))).toMatchObject({
        outcome: 'not-proven',
        exitCode: 4,
      });
      expect(auditOutcomes().at(-1)).toMatchObject({ outcome: 'not-proven', proof: { proven: false } });

      // the controls moved, the record did not: the probe says so
      expect(await routing()).toEqual(onPrimary);
      expect((await queryUdp(h.sandbox.dns.port, 'service1.example.com')).answers?.[0]).toMatchObject({
        data: secondary,
      });
      const probe = (await status('--probe')).stdout;
      expect(probe).toMatch(/^service1 +us-east-1 +A 127\.0\.2\.2 \(us-west-2\) +us-west-2 +!! DIFFERS$/m);
      expect((await h.fault('status')).stdout).toMatch(/service1 .*DNS FAULT stale on us-west-2/);
    } finally {
      const none = await h.fault('dns', 'service1', 'none');
      expect([none.exitCode, none.stdout.trim()]).toEqual([
        0,
        "service1's record follows its routing controls",
      ]);
    }
    // the record follows the controls again
    const primary = new URL(regionalUrl('service1', 'us-east-1')).hostname;
    expect((await queryUdp(h.sandbox.dns.port, 'service1.example.com')).answers?.[0]).toMatchObject({
      data: primary,
    });
  });
});
