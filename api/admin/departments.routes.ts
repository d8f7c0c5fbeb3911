import { z } from 'zod';
import { userRoles } from '../../platform/user-roles.ts';
import { errorBodySchema, errorResponses, idParam, type ApiApp } from '../../platform/http/schemas.ts';
import { createDepartmentBody, departmentSchema, updateDepartmentBody, type DepartmentsService } from './departments.service.ts';

export function registerDepartmentRoutes(app: ApiApp, departments: DepartmentsService): void {
  app.get('/api/departments', {
    config: { roles: userRoles },
    schema: { tags: ['directory'], summary: 'The court’s departments', response: { 200: z.array(departmentSchema), ...errorResponses } },
    handler: async (request) => departments.list(request.actor),
  });

  app.post('/api/departments', {
    config: { roles: ['admin'] },
    schema: { tags: ['admin'], summary: 'Create a department', body: createDepartmentBody, response: { 201: departmentSchema, 409: errorBodySchema, ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(await departments.create(request.actor, request.body, request.ip)),
  });

  app.patch('/api/departments/:departmentId', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'Rename, re-number or deactivate a department',
      params: idParam('departmentId'),
      body: updateDepartmentBody,
      response: { 200: departmentSchema, 409: errorBodySchema, ...errorResponses },
    },
    handler: async (request) => departments.update(request.actor, request.params.departmentId, request.body, request.ip),
  });
}
