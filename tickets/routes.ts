import type { ApiApp } from '../platform/http/schemas.ts';
import { registerTicketAdminRoutes } from './admin.routes.ts';
import { registerCalendarRoutes } from './calendar.routes.ts';
import { registerTicketCommandRoutes } from './command.routes.ts';
import { registerTicketQueryRoutes } from './query.routes.ts';
import type { TicketService } from './service.ts';
import { registerSupervisionRoutes } from './supervision.routes.ts';

/**
 * The tickets HTTP routes, on the api capability's zod-typed app: its access hook signs the user in, sets
 * `request.actor` and enforces each route's `config.roles` (for commands, from the transition table); the
 * service checks stage, role and scope again. No route deletes a record (DELETE /api/calendar/:day only drops a
 * court's own day, so the national default applies again).
 */
export function registerTicketRoutes(app: ApiApp, service: TicketService): void {
  registerTicketCommandRoutes(app, service);
  registerTicketQueryRoutes(app, service);
  registerTicketAdminRoutes(app, service);
  registerCalendarRoutes(app, service);
  registerSupervisionRoutes(app, service);
}
