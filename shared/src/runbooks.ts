/**
 * Runbooks as the topology declares them: a named, ordered list of steps. A step switches some APIs to a
 * Region (or to their primary or secondary), waits for an approval, or waits some seconds. Validated with
 * the rest of the topology, each mistake one line naming its key path.
 */
import type { AwsRegion } from './regions';

export type RunbookTarget = 'primary' | 'secondary' | AwsRegion;

export type RunbookStep =
  | { kind: 'switch'; apis: string[]; to: RunbookTarget }
  | { kind: 'approval'; note?: string; timeoutSeconds: number }
  | { kind: 'wait'; seconds: number };

export interface Runbook {
  name: string;
  description?: string;
  steps: RunbookStep[];
}

/** What a runbook needs to know of an API: its name and its two Regions. */
export interface RunbookApi {
  name: string;
  primaryRegion: AwsRegion;
  secondaryRegion: AwsRegion;
}

/** How long an approval step waits for its gates unless it says otherwise: an on-call answer, not a day. */
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 1800;

const RUNBOOK_NAME = /^[a-z][a-z0-9-]{0,62}[a-z0-9]$/;

type Json = Record<string, unknown>;
type ErrorAt = (key: string, message: string) => Error;

/** The Region a switch step sends an API to. */
export function targetRegionOf(api: RunbookApi, to: RunbookTarget): AwsRegion {
  if (to === 'primary') return api.primaryRegion;
  if (to === 'secondary') return api.secondaryRegion;
  return to;
}

export function parseRunbooks(raw: unknown, apis: readonly RunbookApi[], at: ErrorAt): Runbook[] {
  if (raw === undefined) return [];
  if (!isObject(raw)) throw at('runbooks', 'must be an object of named runbooks');
  return Object.entries(raw).map(([name, value]) => runbook(name, value, apis, at));
}

function runbook(name: string, value: unknown, apis: readonly RunbookApi[], at: ErrorAt): Runbook {
  const key = `runbooks.${name}`;
  if (!RUNBOOK_NAME.test(name)) {
    throw at(key, `"${name}" is not a runbook name (lower-case letters, digits and dashes, 2 to 64 long)`);
  }
  if (!isObject(value)) throw at(key, 'must be an object { description?, steps }');
  only(value, ['description', 'steps'], key, at);
  if (value.description !== undefined && typeof value.description !== 'string') {
    throw at(`${key}.description`, 'must be a string');
  }
  if (!Array.isArray(value.steps) || value.steps.length === 0) {
    throw at(`${key}.steps`, 'must be a non-empty list of steps ({ switch, to }, { approval }, { wait })');
  }
  const steps = value.steps.map((step, index) => stepOf(step, `${key}.steps[${index}]`, apis, at));
  checkOneTargetPerApi(steps, key, apis, at);
  steps.forEach((step, index) => {
    if (step.kind === 'approval' && !steps.slice(index + 1).some((s) => s.kind === 'switch')) {
      throw at(`${key}.steps[${index}]`, 'an approval with no switch after it: nothing for it to approve');
    }
  });
  if (!steps.some((s) => s.kind === 'switch')) throw at(`${key}.steps`, 'has no switch step');
  return { name, ...(value.description !== undefined && { description: value.description }), steps };
}

function stepOf(value: unknown, key: string, apis: readonly RunbookApi[], at: ErrorAt): RunbookStep {
  if (!isObject(value) || Object.keys(value).length === 0) {
    throw at(key, 'an empty step: give { switch: [apis], to }, { approval: "note" } or { wait: seconds }');
  }
  if ('switch' in value) {
    only(value, ['switch', 'to'], key, at);
    const names = value.switch;
    if (!Array.isArray(names) || names.length === 0) {
      throw at(`${key}.switch`, 'an empty step: name the APIs to switch');
    }
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (typeof name !== 'string' || !apis.some((a) => a.name === name)) {
        throw at(
          `${key}.switch[${i}]`,
          `unknown API ${JSON.stringify(name)} (known: ${apis.map((a) => a.name).join(', ')})`,
        );
      }
      if (seen.has(name)) throw at(`${key}.switch[${i}]`, `"${name}" named twice in one step`);
      seen.add(name);
    });
    const to = value.to;
    if (typeof to !== 'string') throw at(`${key}.to`, 'missing (expected primary, secondary or a Region)');
    for (const name of names as string[]) {
      const api = apis.find((a) => a.name === name)!;
      if (to !== 'primary' && to !== 'secondary' && to !== api.primaryRegion && to !== api.secondaryRegion) {
        throw at(
          `${key}.to`,
          `${name} does not run in ${to} (its Regions: ${api.primaryRegion} primary, ${api.secondaryRegion} secondary)`,
        );
      }
    }
    return { kind: 'switch', apis: names as string[], to: to as RunbookTarget };
  }
  if ('approval' in value) {
    only(value, ['approval', 'timeoutSeconds'], key, at);
    if (typeof value.approval !== 'string' && value.approval !== true) {
      throw at(`${key}.approval`, 'must be a note for the approver, or true');
    }
    const timeoutSeconds = value.timeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS;
    if (typeof timeoutSeconds !== 'number' || !Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
      throw at(`${key}.timeoutSeconds`, 'must be a whole number of seconds, at least 1');
    }
    return {
      kind: 'approval',
      ...(typeof value.approval === 'string' && { note: value.approval }),
      timeoutSeconds,
    };
  }
  if ('wait' in value) {
    only(value, ['wait'], key, at);
    const seconds = value.wait;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
      throw at(`${key}.wait`, 'must be a number of seconds from more than 0 to 3600');
    }
    return { kind: 'wait', seconds };
  }
  throw at(key, `unknown step (keys: ${Object.keys(value).join(', ')}): give switch, approval or wait`);
}

/** An API may appear in several steps, but a runbook moves it to one Region only. */
function checkOneTargetPerApi(
  steps: RunbookStep[],
  key: string,
  apis: readonly RunbookApi[],
  at: ErrorAt,
): void {
  const target = new Map<string, { region: AwsRegion; step: number }>();
  steps.forEach((step, index) => {
    if (step.kind !== 'switch') return;
    for (const name of step.apis) {
      const region = targetRegionOf(
        apis.find((a) => a.name === name)!,
        step.to,
      );
      const earlier = target.get(name);
      if (earlier && earlier.region !== region) {
        throw at(
          `${key}.steps[${index}]`,
          `${name} is switched to ${region} here and to ${earlier.region} in steps[${earlier.step}]: a runbook moves an API to one Region`,
        );
      }
      target.set(name, { region, step: index });
    }
  });
}

function only(value: Json, allowed: string[], key: string, at: ErrorAt): void {
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) throw at(`${key}.${k}`, `unknown key (allowed: ${allowed.join(', ')})`);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every API the runbook switches, in the order its steps first name them. */
export function runbookApis(runbook: Runbook): string[] {
  return [...new Set(runbook.steps.flatMap((step) => (step.kind === 'switch' ? step.apis : [])))];
}

/** The runbook of that name, or a RangeError naming the ones there are. */
export function findRunbook(runbooks: readonly Runbook[], name: string): Runbook {
  const found = runbooks.find((r) => r.name === name);
  if (!found) {
    const known = runbooks.map((r) => r.name).join(', ') || 'none';
    throw new RangeError(`unknown runbook "${name}" (known: ${known}; see npm run switch -- runbook list)`);
  }
  return found;
}
