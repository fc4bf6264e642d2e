import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { pointerToken } from './json-data.js';

/** One schema violation: a JSON pointer to the offending value (or key) and a message for people. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Validates data against one JSON Schema; `useDefaults` fills in schema defaults in place. */
export interface SchemaValidator {
  readonly validate: (data: unknown) => readonly SchemaIssue[];
}

/**
 * A validator for one of the repository's JSON Schemas (`schemas/<file>`), compiled on first use with Ajv in
 * strict mode and `allErrors`. The path is the same from src/approvals/<x>/ and from dist/approvals/<x>/.
 */
export function schemaValidator(file: string, options: { readonly useDefaults: boolean }): SchemaValidator {
  let compiled: ValidateFunction | undefined;
  return {
    validate(data) {
      if (compiled === undefined) {
        const schema: unknown = JSON.parse(
          readFileSync(new URL(`../../../schemas/${file}`, import.meta.url), 'utf8'),
        );
        const ajv = new Ajv2020({
          strict: true,
          allErrors: true,
          allowUnionTypes: true,
          useDefaults: options.useDefaults,
          verbose: true,
        });
        compiled = ajv.compile(schema as object);
      }
      if (compiled(data)) return [];
      return (compiled.errors ?? []).flatMap(describeSchemaError);
    },
  };
}

const MAX_SHOWN_VALUE = 60;

/** A short, single-line rendering of an offending value (hostile text is quoted and truncated). */
export function showValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (Array.isArray(value)) text = 'a list';
  else if (value !== null && typeof value === 'object') text = 'a mapping';
  else text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE - 1)}…` : text;
}

function describeSchemaError(error: ErrorObject): SchemaIssue[] {
  const params = error.params as Record<string, unknown>;
  const path = error.instancePath;
  // Ajv reports a bad property name twice: the inner error carries `propertyName`, the wrapper says nothing more.
  if (error.keyword === 'propertyNames') return [];
  if (error.propertyName !== undefined) {
    const why = error.keyword === 'pattern' ? describePattern(error) : (error.message ?? 'not allowed');
    return [
      {
        path: `${path}/${pointerToken(error.propertyName)}`,
        message: `invalid name ${showValue(error.propertyName)}: ${why}`,
      },
    ];
  }
  switch (error.keyword) {
    case 'additionalProperties':
      return [
        {
          path: `${path}/${pointerToken(String(params.additionalProperty))}`,
          message: `unknown field ${showValue(params.additionalProperty)}`,
        },
      ];
    case 'required':
      return [{ path, message: `missing required field ${showValue(params.missingProperty)}` }];
    case 'enum':
      return [
        {
          path,
          message: `must be one of ${(params.allowedValues as unknown[]).map((v) => showValue(v)).join(', ')} (got ${showValue(error.data)})`,
        },
      ];
    case 'const':
      return [{ path, message: `must be ${showValue(params.allowedValue)} (got ${showValue(error.data)})` }];
    case 'type':
      return [
        {
          path,
          message: `must be ${String(params.type).replace(',', ' or ')} (got ${showValue(error.data)})`,
        },
      ];
    case 'uniqueItems': {
      const items = error.data as unknown[];
      const later = Number(params.i);
      return [
        {
          path: `${path}/${later}`,
          message: `duplicate item ${showValue(items[later])} (also at index ${Number(params.j)})`,
        },
      ];
    }
    case 'pattern':
      return [
        {
          path,
          message: `${showValue(error.data)} has a form that is not allowed (${describePattern(error)})`,
        },
      ];
    default:
      return [{ path, message: `${error.message ?? 'is invalid'} (got ${showValue(error.data)})` }];
  }
}

function describePattern(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof description === 'string'
    ? description
    : `must match ${String((error.params as { pattern?: unknown }).pattern)}`;
}
