import { Ajv, type ErrorObject, type Options } from 'ajv'
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { FieldError } from '../domain/shared/app-error.ts'

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin)

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: true, ...options })
  addFormats(ajv)
  return ajv
}

/**
 * Two validators: bodies are checked strictly (no coercion, and unknown fields are an error,
 * never silently dropped as Fastify's default does); query strings, path parameters and
 * headers arrive as text and are coerced to the declared types.
 */
const bodyAjv = makeAjv({ coerceTypes: false, removeAdditional: false })
const textAjv = makeAjv({ coerceTypes: 'array', removeAdditional: false })

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>
}

/** Turns Ajv errors into field errors: `subject`, `tags/3`, or the unknown or missing property. */
export function fieldErrors(errors: readonly ErrorObject[] | readonly unknown[]): FieldError[] {
  return (errors as ErrorObject[]).map((error) => {
    const base = (error.instancePath ?? '').replace(/^\//, '')
    const join = (name: string) => (base === '' ? name : `${base}/${name}`)
    if (error.keyword === 'additionalProperties') {
      return { field: join(String(error.params.additionalProperty)), message: 'unknown field' }
    }
    if (error.keyword === 'required') return { field: join(String(error.params.missingProperty)), message: 'required' }
    return { field: base === '' ? '(body)' : base, message: error.message ?? 'invalid' }
  })
}
