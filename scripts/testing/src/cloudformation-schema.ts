import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, Resource } from '@aws-cdk/service-spec-types';

type SpecDatabase = ReturnType<typeof loadAwsServiceSpecSync>;
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{ Ref }`, `{ "Fn::...": ... }`: CloudFormation resolves these at deploy time, to any type. */
function intrinsic(value: unknown): [string, unknown] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 && key && (key === 'Ref' || key.startsWith('Fn::'))
    ? [key, value[key]]
    : undefined;
}

/**
 * Checks templates against the official CloudFormation resource schemas (the CDK's service spec, built
 * from AWS's published registry schemas): every resource type exists, every property is known and of its
 * type, required properties are present, and Ref / Fn::GetAtt / DependsOn point at what exists.
 */
export class CloudFormationSchema {
  private constructor(private readonly db: SpecDatabase) {}

  static load(): CloudFormationSchema {
    return new CloudFormationSchema(loadAwsServiceSpecSync());
  }

  /** Every problem found, one line each; empty when the template is valid. */
  validate(template: unknown): string[] {
    const problems: string[] = [];
    if (!isObject(template) || !isObject(template.Resources)) return ['the template has no Resources'];
    const resources = template.Resources;
    const typeOf = new Map<string, Resource>();
    for (const [id, resource] of Object.entries(resources)) {
      const at = `Resources.${id}`;
      if (!isObject(resource) || typeof resource.Type !== 'string') {
        problems.push(`${at}: not a resource with a Type`);
        continue;
      }
      const [spec] = this.db.lookup('resource', 'cloudFormationType', 'equals', resource.Type);
      if (!spec) {
        problems.push(`${at}: unknown resource type ${resource.Type}`);
        continue;
      }
      typeOf.set(id, spec);
      const properties = resource.Properties ?? {};
      if (!isObject(properties)) problems.push(`${at}.Properties: must be an object`);
      else this.checkProperties(properties, spec.properties, `${at}.Properties`, problems);
      for (const dependency of [resource.DependsOn ?? []].flat()) {
        if (typeof dependency !== 'string' || !(dependency in resources)) {
          problems.push(`${at}.DependsOn: ${JSON.stringify(dependency)} is not a resource of the template`);
        }
      }
    }
    const parameters = isObject(template.Parameters) ? template.Parameters : {};
    const references = (value: unknown, at: string): void => {
      const fn = intrinsic(value);
      if (fn?.[0] === 'Ref') {
        const name = fn[1];
        if (
          typeof name !== 'string' ||
          !(name.startsWith('AWS::') || name in resources || name in parameters)
        ) {
          problems.push(`${at}: Ref to unknown ${JSON.stringify(name)}`);
        }
        return;
      }
      if (fn?.[0] === 'Fn::GetAtt') {
        const [id, attribute] = Array.isArray(fn[1]) ? fn[1] : String(fn[1]).split('.');
        const spec = typeOf.get(String(id));
        if (!spec) problems.push(`${at}: Fn::GetAtt of unknown resource ${JSON.stringify(id)}`);
        else if (!(String(attribute) in spec.attributes)) {
          problems.push(`${at}: ${spec.cloudFormationType} has no attribute ${JSON.stringify(attribute)}`);
        }
        return;
      }
      if (Array.isArray(value)) value.forEach((item, i) => references(item, `${at}[${i}]`));
      else if (isObject(value)) for (const [k, v] of Object.entries(value)) references(v, `${at}.${k}`);
    };
    references(resources, 'Resources');
    references(template.Outputs ?? {}, 'Outputs');
    return problems;
  }

  private checkProperties(value: Json, spec: Record<string, Property>, at: string, problems: string[]): void {
    for (const [name, property] of Object.entries(spec)) {
      if (property.required && value[name] === undefined) problems.push(`${at}.${name}: required, missing`);
    }
    for (const [name, v] of Object.entries(value)) {
      const property = spec[name];
      if (!property)
        problems.push(`${at}.${name}: unknown property (known: ${Object.keys(spec).join(', ')})`);
      else this.checkValue(v, property.type, `${at}.${name}`, problems);
    }
  }

  private checkValue(value: unknown, type: PropertyType, at: string, problems: string[]): void {
    if (intrinsic(value)) return;
    const wrong = (expected: string): void => {
      problems.push(`${at}: ${JSON.stringify(value)} is not ${expected}`);
    };
    switch (type.type) {
      case 'string':
        if (typeof value !== 'string') return wrong('a string');
        if (type.allowedValues && !type.allowedValues.includes(value))
          wrong(`one of ${type.allowedValues.join(', ')}`);
        return;
      case 'number':
      case 'integer':
        if (typeof value !== 'number' || (type.type === 'integer' && !Number.isInteger(value)))
          wrong(`an ${type.type}`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') wrong('a boolean');
        return;
      case 'date-time':
        if (typeof value !== 'string') wrong('a date-time string');
        return;
      case 'json':
        if (!isObject(value) && typeof value !== 'string') wrong('a JSON object');
        return;
      case 'null':
        if (value !== null) wrong('null');
        return;
      case 'tag':
        if (!isObject(value) || typeof value.Key !== 'string' || value.Value === undefined)
          wrong('a { Key, Value } tag');
        return;
      case 'array':
        if (!Array.isArray(value)) return wrong('a list');
        value.forEach((item, i) => this.checkValue(item, type.element, `${at}[${i}]`, problems));
        return;
      case 'map':
        if (!isObject(value)) return wrong('a map');
        for (const [k, v] of Object.entries(value)) this.checkValue(v, type.element, `${at}.${k}`, problems);
        return;
      case 'ref': {
        if (!isObject(value)) return wrong('an object');
        this.checkProperties(value, this.db.get('typeDefinition', type.reference).properties, at, problems);
        return;
      }
      case 'union': {
        const fits = type.types.some((option) => {
          const attempt: string[] = [];
          this.checkValue(value, option, at, attempt);
          return attempt.length === 0;
        });
        if (!fits) wrong(`any of ${type.types.map((t) => t.type).join(' | ')}`);
        return;
      }
    }
  }
}
