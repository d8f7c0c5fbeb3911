/**
 * Helpers to write ARI's API descriptions (Swagger 1.1, as Asterisk serves them) compactly.
 * The descriptions in this folder are written for the stand-in from the public ARI documentation;
 * they describe only what the stand-in implements.
 */

export interface SwaggerParam {
  name: string;
  description: string;
  paramType: 'path' | 'query' | 'body';
  required: boolean;
  allowMultiple: boolean;
  dataType: string;
  defaultValue?: string | number | boolean;
}

export interface SwaggerOperation {
  httpMethod: 'GET' | 'POST' | 'PUT' | 'DELETE';
  summary: string;
  nickname: string;
  responseClass: string;
  parameters: SwaggerParam[];
  errorResponses: Array<{ code: number; reason: string }>;
}

export interface SwaggerApi {
  path: string;
  description: string;
  operations: SwaggerOperation[];
}

export type ModelProperties = Record<string, { type: string; required?: boolean; description?: string }>;

export interface ApiDeclaration {
  apiVersion: string;
  swaggerVersion: '1.1';
  basePath: string;
  resourcePath: string;
  apis: SwaggerApi[];
  models: Record<string, { id: string; description: string; properties: ModelProperties; subTypes?: string[]; extends?: string }>;
}

export const ARI_API_VERSION = '10.0.0';

type ParamSpec = string; // "name:type" with prefixes: '*' required, '@' path, '$' body, '[]' suffix allowMultiple

/** `@channelId` path (always required), `*endpoint` required query, `timeout:int=30` query with default, `$variables:containers` body. */
export function param(spec: ParamSpec, description = ''): SwaggerParam {
  let rest = spec;
  let paramType: SwaggerParam['paramType'] = 'query';
  let required = false;
  if (rest.startsWith('@')) {
    paramType = 'path';
    required = true;
    rest = rest.slice(1);
  } else if (rest.startsWith('$')) {
    paramType = 'body';
    rest = rest.slice(1);
  }
  if (rest.startsWith('*')) {
    required = true;
    rest = rest.slice(1);
  }
  const [head = '', defaultText] = rest.split('=');
  const [name = '', typeText = 'string'] = head.split(':');
  const allowMultiple = typeText.endsWith('[]');
  const dataType = allowMultiple ? typeText.slice(0, -2) : typeText;
  const result: SwaggerParam = { name, description, paramType, required, allowMultiple, dataType };
  if (defaultText !== undefined) {
    result.defaultValue = dataType === 'int' ? Number(defaultText) : dataType === 'boolean' ? defaultText === 'true' : defaultText;
  }
  return result;
}

export function op(
  httpMethod: SwaggerOperation['httpMethod'],
  nickname: string,
  responseClass: string,
  summary: string,
  params: Array<ParamSpec | SwaggerParam> = [],
  errors: Array<[number, string]> = [],
): SwaggerOperation {
  return {
    httpMethod,
    summary,
    nickname,
    responseClass,
    parameters: params.map((p) => (typeof p === 'string' ? param(p) : p)),
    errorResponses: errors.map(([code, reason]) => ({ code, reason })),
  };
}

export const api = (path: string, description: string, ...operations: SwaggerOperation[]): SwaggerApi => ({ path, description, operations });

export function model(id: string, description: string, properties: Record<string, string>): ApiDeclaration['models'][string] {
  const props: ModelProperties = {};
  for (const [name, spec] of Object.entries(properties)) {
    const required = !spec.endsWith('?');
    props[name] = { type: required ? spec : spec.slice(0, -1), required };
  }
  return { id, description, properties: props };
}

export function declaration(resource: string, basePath: string, apis: SwaggerApi[], models: ApiDeclaration['models'] = {}): ApiDeclaration {
  return { apiVersion: ARI_API_VERSION, swaggerVersion: '1.1', basePath, resourcePath: `/api-docs/${resource}.{format}`, apis, models };
}
