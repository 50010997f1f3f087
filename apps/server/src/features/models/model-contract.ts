import type { Model } from '@mlapi/ml';
import { z } from 'zod';

/** A model schema as JSON Schema (what clients read, and what a reload must keep). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let json = converted.get(schema);
  if (!json)
    converted.set(
      schema,
      (json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
    );
  return json;
}
/** Schemas never change once built: each is converted once. */
const converted = new WeakMap<z.ZodType, Record<string, unknown>>();

/** What the API promises about a service's model: its input, reply and feedback schemas. */
function contract(model: Model<unknown, unknown>): Record<'input' | 'output' | 'target', string> {
  const json = (schema: z.ZodType) => JSON.stringify(jsonSchemaOf(schema));
  return { input: json(model.inputSchema), output: json(model.outputSchema), target: json(model.targetSchema) };
}

/**
 * The parts of the API a replacement model would change (input fields, reply fields, feedback values), or none.
 * The REST routes, the OpenAPI document and the SDK's types are built at start-up, so a hot reload may change the
 * weights and the version, not the contract.
 */
export function contractChanges(current: Model<unknown, unknown>, next: Model<unknown, unknown>): string[] {
  const before = contract(current);
  const after = contract(next);
  const names = { input: 'input fields', output: 'reply fields', target: 'feedback values' } as const;
  return (Object.keys(names) as (keyof typeof names)[]).filter((k) => before[k] !== after[k]).map((k) => names[k]);
}
