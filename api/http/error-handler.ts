import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HotlineError } from '../../platform/errors.ts';
import { errors } from '../../platform/http/errors.ts';

/** The error body of every API response: `{code, message, message_zh}`. */
export interface ErrorBody {
  code: string;
  message: string;
  message_zh: string;
}

/**
 * One error handler and one not-found handler for the whole server. Client errors say what was
 * wrong; 5xx bodies never carry internals (those go to the log only).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toHotlineError(error);
    if (known.httpStatus >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: known.code, status: known.httpStatus }, 'request refused');
    return sendError(reply, known);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, errors.notFound(`route ${request.method} ${request.url.split('?')[0]}`)));
}

/** Sends the error shape directly (from hooks that must not depend on a plugin's own error handler). */
export function sendError(reply: FastifyReply, error: HotlineError) {
  const body: ErrorBody = { code: error.code, message: error.message, message_zh: error.messageZh };
  return reply.code(error.httpStatus).headers(error.headers).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
}

export function toHotlineError(error: FastifyError | Error): HotlineError {
  if (error instanceof HotlineError) return error;
  if (isResponseSerializationError(error)) return errors.internal();
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const detail = fastifyError.validation
      .slice(0, 5)
      .map((issue) => `${fastifyError.validationContext ?? 'input'}${issue.instancePath === '/' ? '' : issue.instancePath}: ${issue.message}`)
      .join('; ');
    return errors.invalidInput(detail);
  }
  if (fastifyError.validation) return errors.invalidInput(fastifyError.message);
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.malformedJson();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.bodyTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType();
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return errors.malformedJson();
  const status = fastifyError.statusCode ?? 500;
  if (status === 429) return errors.rateLimited(Number(/(\d+)/.exec(fastifyError.message)?.[1] ?? 60));
  if (status >= 400 && status < 500) {
    return new HotlineError('bad_request', status, 'The request could not be processed.', '请求无法处理。');
  }
  return errors.internal();
}
