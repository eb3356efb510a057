import type { RouteOptions } from 'fastify'

interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema & { description?: string }>
  required?: readonly string[]
  [keyword: string]: unknown
}

/** Extra documentation a route can carry in `config.openapi` (for bodies that are not JSON). */
export interface RouteDocs {
  requestBody?: unknown
  responses?: Record<string, unknown>
}

interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  parameters?: unknown[]
  requestBody?: unknown
  responses: Record<string, unknown>
  security?: unknown[]
}

/**
 * Builds the OpenAPI 3.1 document from the routes as they are added (fastify's onRoute
 * hook): path and query parameters, headers, bodies and responses come from the same
 * schemas that validate the requests, so the document cannot drift from the code.
 */
export class OpenApiCollector {
  readonly #paths: Record<string, Record<string, Operation>> = {}

  add(route: RouteOptions): void {
    const schema = (route.schema ?? {}) as Record<string, unknown>
    if (schema.hide === true || route.url.startsWith('/assets/')) return
    const docs = ((route.config as { openapi?: RouteDocs } | undefined)?.openapi ?? {}) as RouteDocs
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
      (method) => method !== 'HEAD' && method !== 'OPTIONS',
    )
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    for (const method of methods) {
      const operation: Operation = {
        ...(typeof schema.summary === 'string' ? { summary: schema.summary } : {}),
        ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
        ...(Array.isArray(schema.tags) ? { tags: schema.tags as string[] } : {}),
        responses: {},
      }
      const parameters = [
        ...parametersOf(schema.params as JsonSchema | undefined, 'path'),
        ...parametersOf(schema.querystring as JsonSchema | undefined, 'query'),
        ...parametersOf(schema.headers as JsonSchema | undefined, 'header'),
      ]
      if (parameters.length > 0) operation.parameters = parameters
      if (docs.requestBody !== undefined) operation.requestBody = docs.requestBody
      else if (schema.body !== undefined) {
        operation.requestBody = { content: { 'application/json': { schema: schema.body } } }
      }
      for (const [code, response] of Object.entries(
        (schema.response ?? {}) as Record<string, unknown>,
      )) {
        operation.responses[code] = {
          description: (response as { description?: string }).description ?? `HTTP ${code}`,
          content: { 'application/json': { schema: response } },
        }
      }
      Object.assign(operation.responses, docs.responses ?? {})
      if (Object.keys(operation.responses).length === 0) {
        operation.responses['200'] = { description: 'OK' }
      }
      operation.responses['400'] ??= { description: 'Bad request: the reason is in `message`' }
      const entry = this.#paths[path] ?? {}
      entry[method.toLowerCase()] = operation
      this.#paths[path] = entry
    }
  }

  document(info: { title: string; version: string; bearer: boolean }): unknown {
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      paths: this.#paths,
      ...(info.bearer
        ? {
            components: {
              securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
            },
            security: [{ bearer: [] }],
          }
        : {}),
    }
  }
}

function parametersOf(
  schema: JsonSchema | undefined,
  where: 'path' | 'query' | 'header',
): unknown[] {
  if (schema?.properties === undefined) return []
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property
    return {
      name,
      in: where,
      required: where === 'path' || (schema.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    }
  })
}

declare module 'fastify' {
  interface FastifySchema {
    /** Left out of the OpenAPI document. */
    hide?: boolean
    summary?: string
    description?: string
    tags?: readonly string[]
  }
  interface FastifyContextConfig {
    openapi?: RouteDocs
  }
}
