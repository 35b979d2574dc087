import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import { ApplicationSchema, type FieldPath } from '../schemas/application.ts';

/** A scheme as the model may choose it: the caller maps its scheme definitions to these. */
export interface SchemeChoice {
  id: string;
  name: string;
  categories: string[];
}

/** One leaf field of the application, with the schema its value must pass (the contract's, not the model's). */
export interface ApplicationField {
  path: FieldPath;
  schema: z.ZodType;
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional || schema instanceof z.ZodNullable
    ? unwrap(schema.unwrap() as z.ZodType)
    : schema;
}

function shapeOf(schema: z.ZodObject): Array<[string, z.ZodType]> {
  return Object.entries(schema.shape as Record<string, z.ZodType>);
}

/** The leaves of ApplicationSchema, sections flattened into dotted paths as findings and provenance name them. */
export const applicationFields: readonly ApplicationField[] = shapeOf(ApplicationSchema).flatMap(([key, field]) => {
  const inner = unwrap(field);
  return inner instanceof z.ZodObject
    ? shapeOf(inner).map(([leaf, schema]) => ({ path: `${key}.${leaf}` as FieldPath, schema: unwrap(schema) }))
    : [{ path: key as FieldPath, schema: inner }];
});

/**
 * ApplicationSchema as strict structured outputs need it: every property required, an absent field null rather than
 * missing. Sections stay objects so the model fills leaves, not whole sections. Where the caller's schemes give the
 * choices, schemeId and category become enums, so the model picks among them instead of inventing ids.
 */
function strictApplicationSchema(schemes: readonly SchemeChoice[]): z.ZodObject {
  const ids = schemes.map((scheme) => scheme.id);
  const categories = [...new Set(schemes.flatMap((scheme) => scheme.categories))];
  const choices: Partial<Record<FieldPath, z.ZodType>> = {
    ...(ids.length && { schemeId: z.enum(ids) }),
    ...(categories.length && { 'project.category': z.enum(categories) }),
  };
  const strict = (schema: z.ZodObject, prefix: string): z.ZodObject =>
    z.object(
      Object.fromEntries(
        shapeOf(schema).map(([key, field]) => {
          const inner = unwrap(field);
          const path = `${prefix}${key}` as FieldPath;
          return [key, inner instanceof z.ZodObject ? strict(inner, `${path}.`) : (choices[path] ?? inner).nullable()];
        }),
      ),
    );
  return strict(ApplicationSchema, '');
}

/**
 * What the model answers: the application, and per field a quote of the text it was read from, so each value can be
 * checked against the document instead of taken on trust.
 */
export function answerFormat(schemes: readonly SchemeChoice[]) {
  const answer = z.object({
    application: strictApplicationSchema(schemes),
    evidence: z.array(
      z.object({
        field: z.enum(applicationFields.map((field) => field.path) as [FieldPath, ...FieldPath[]]),
        quote: z.string(),
      }),
    ),
  });
  return zodResponseFormat(answer, 'grant_application');
}

/** The answer's outline, checked before its fields are validated one by one. */
export const AnswerOutlineSchema = z.object({
  application: z.record(z.string(), z.unknown()),
  evidence: z.array(z.object({ field: z.string(), quote: z.string() })).catch([]),
});
