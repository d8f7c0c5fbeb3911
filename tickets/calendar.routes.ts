import { z } from 'zod';
import { errorResponses, type ApiApp } from '../platform/http/schemas.ts';
import { userRoles } from '../platform/user-roles.ts';
import { calendarDate } from '../platform/http/schemas.ts';
import { businessHoursSchema, calendarDaySchema, calendarYear } from './calendar-admin.ts';
import { businessHoursViewSchema, calendarDayViewSchema } from './route-schemas.ts';
import type { TicketService } from './service.ts';

const tags = ['court calendar'];
const admin = { roles: ['admin'] } as const;

/**
 * The signed-in user's court's one calendar — working days, holidays, make-up days (调休) and hotline hours — read by
 * the deadlines and the hotline alike. Everyone reads their court's; an admin changes only their own court's.
 */
export function registerCalendarRoutes(app: ApiApp, service: TicketService): void {
  app.get('/api/calendar/:year', {
    config: { roles: userRoles },
    schema: {
      tags,
      summary: "A year's holidays and make-up working days of the user's court: the national default with the court's own days over it",
      params: z.strictObject({ year: calendarYear }),
      response: { 200: z.array(calendarDayViewSchema), ...errorResponses },
    },
    handler: async (request) => service.calendarDays(request.actor, request.params.year),
  });

  app.put('/api/calendar', {
    config: admin,
    schema: {
      tags,
      summary: "Set one day for the admin's own court: a holiday or a make-up working day, with the notice it comes from",
      body: calendarDaySchema,
      response: { 200: calendarDayViewSchema, ...errorResponses },
    },
    handler: async (request) => service.setCalendarDay(request.actor, request.body),
  });

  app.delete('/api/calendar/:day', {
    config: admin,
    schema: {
      tags,
      summary: "Drop the admin's court's own day: the national default applies to it again",
      params: z.strictObject({ day: calendarDate }),
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await service.clearCalendarDay(request.actor, request.params.day);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/business-hours', {
    config: { roles: userRoles },
    schema: { tags, summary: "The hotline hours of the user's court, per weekday (China time)", response: { 200: businessHoursViewSchema, ...errorResponses } },
    handler: async (request) => service.businessHours(request.actor),
  });

  app.put('/api/business-hours', {
    config: admin,
    schema: {
      tags,
      summary: "Replace the admin's court's week of hotline hours (none: always open); the hotline follows at once",
      body: businessHoursSchema,
      response: { 200: businessHoursViewSchema, ...errorResponses },
    },
    handler: async (request) => service.setBusinessHours(request.actor, request.body),
  });
}
