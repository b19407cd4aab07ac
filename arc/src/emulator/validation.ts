import { arcErrors, type ValidationField } from './errors';

/**
 * Checks request members against the constraints of the route53-recovery-cluster Smithy model and reports
 * every failure at once, the way AWS does ("2 validation errors detected: ...").
 */
export class InputChecker {
  private readonly failures: ValidationField[] = [];

  /** Arn: string, length 1..255, pattern ^[A-Za-z0-9:.\/_-]*$ */
  arn(value: unknown, name: string, required: boolean): string | undefined {
    if (!this.present(value, name, required)) return undefined;
    if (!this.isString(value, name)) return undefined;
    if (value.length < 1) return this.fail(name, value, 'Member must have length greater than or equal to 1');
    if (value.length > 255)
      return this.fail(name, value, 'Member must have length less than or equal to 255');
    if (!/^[A-Za-z0-9:./_-]*$/.test(value)) {
      return this.fail(name, value, 'Member must satisfy regular expression pattern: ^[A-Za-z0-9:.\\/_-]*$');
    }
    return value;
  }

  state(value: unknown, name: string): 'On' | 'Off' | undefined {
    if (!this.present(value, name, true) || !this.isString(value, name)) return undefined;
    if (value !== 'On' && value !== 'Off') {
      return this.fail(name, value, 'Member must satisfy enum value set: [On, Off]');
    }
    return value;
  }

  /** Arns: an optional list of Arn. */
  arns(value: unknown, name: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return this.fail(name, value, 'Member must be a list') ?? [];
    return value
      .map((item, index) => this.arn(item, `${name}.${index}`, true))
      .filter((a) => a !== undefined);
  }

  /** MaxResults: an integer of at least 1. */
  maxResults(value: unknown, name: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return this.fail(name, value, 'Member must be an integer');
    }
    if (value < 1) return this.fail(name, value, 'Member must have value greater than or equal to 1');
    return value;
  }

  /** PageToken: string, length 1..8096, no white space. */
  pageToken(value: unknown, name: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (!this.isString(value, name)) return undefined;
    if (value.length < 1 || value.length > 8096) {
      return this.fail(name, value, 'Member must have length between 1 and 8096');
    }
    if (/\s/.test(value))
      return this.fail(name, value, 'Member must satisfy regular expression pattern: [\\S]*');
    return value;
  }

  list(value: unknown, name: string, minLength: number): unknown[] {
    if (!this.present(value, name, true)) return [];
    if (!Array.isArray(value)) return this.fail(name, value, 'Member must be a list') ?? [];
    if (value.length < minLength) {
      this.fail(name, value, `Member must have length greater than or equal to ${minLength}`);
    }
    return value;
  }

  struct(value: unknown, name: string): Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    this.fail(name, value, 'Member must be a structure');
    return {};
  }

  fail(name: string, value: unknown, constraint: string): undefined {
    const shown = value === undefined || value === null ? 'null' : `'${clip(JSON.stringify(value))}'`;
    this.failures.push({
      name,
      message: `Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}`,
    });
    return undefined;
  }

  /** Throws one ValidationException (reason fieldValidationFailed) listing every failure, if any. */
  done(): void {
    const count = this.failures.length;
    if (count === 0) return;
    const summary = `${count} validation error${count === 1 ? '' : 's'} detected: ${this.failures
      .map((f) => f.message)
      .join('; ')}`;
    throw arcErrors.validation('fieldValidationFailed', summary, this.failures);
  }

  private present(value: unknown, name: string, required: boolean): boolean {
    if (value !== undefined && value !== null) return true;
    if (required) this.fail(name, value, 'Member must not be null');
    return false;
  }

  private isString(value: unknown, name: string): value is string {
    if (typeof value === 'string') return true;
    this.fail(name, value, 'Member must be a string');
    return false;
  }
}

function clip(text: string): string {
  const bare = text.startsWith('"') ? text.slice(1, -1) : text;
  return bare.length > 80 ? `${bare.slice(0, 77)}...` : bare;
}
