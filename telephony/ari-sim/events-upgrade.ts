import type { FastifyReply } from 'fastify';

/** res/ari/ari_websockets.h ARI_MAX_APP_NAME_LEN: AST_MAX_CONTEXT (80) less "stasis-". */
const MAX_APP_NAME_LENGTH = 73;

export interface UpgradeRefusal {
  status: number;
  title: string;
  text: string;
}

/** The app names of the first `app` parameter, a comma-separated list (ast_strsep with AST_STRSEP_STRIP in session_register_apps). */
export function appNames(firstApp: string): string[] {
  return firstApp.split(',').map((name) => name.trim());
}

/**
 * Why Asterisk refuses a GET of /ari/events, or null when it upgrades it (measured on Asterisk 22.10.1): without an
 * Upgrade header 426 (res_http_websocket), without a first `app` 400 (websocket_attempted_cb in
 * res/ari/ari_websockets.c), with an empty or too long name in the comma-separated list 500 (session_register_apps).
 */
export function eventsUpgradeRefusal(upgradeHeader: string | undefined, firstApp: string | undefined): UpgradeRefusal | null {
  if (upgradeHeader?.toLowerCase() !== 'websocket') return { status: 426, title: 'Upgrade Required', text: '' };
  if (!firstApp) return { status: 400, title: 'Bad Request', text: 'HTTP request is missing param: [app]' };
  if (appNames(firstApp).some((name) => name === '' || name.length > MAX_APP_NAME_LENGTH)) {
    return { status: 500, title: 'Internal Server Error', text: 'Stasis app registration failed' };
  }
  return null;
}

/** The HTML page of ast_http_error (main/http.c ast_http_create_response), byte for byte. */
export function sendHttpErrorPage(reply: FastifyReply, refusal: UpgradeRefusal): FastifyReply {
  const { status, title, text } = refusal;
  const page =
    `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html><head>\r\n<title>${status} ${title}</title>\r\n` +
    `</head><body>\r\n<h1>${title}</h1>\r\n<p>${text}</p>\r\n<hr />\r\n<address>Asterisk/22.10.1</address>\r\n</body></html>\r\n`;
  return reply.code(status).header('content-type', 'text/html').send(page);
}
