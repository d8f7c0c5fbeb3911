import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../platform/db/client.ts';
import { users } from '../platform/directory.sql.ts';
import { assertSameCourt } from '../platform/court-scope.ts';
import { errorResponses, idParam, type ApiApp } from '../platform/http/schemas.ts';
import type { LiveState } from './acd/live-state.ts';
import { skills } from './menu.ts';
import { operatorSkills } from './telephony.sql.ts';

const tags = ['telephony'];
const skillList = [...new Set(skills)] as [string, ...string[]];

const skillsBody = z.strictObject({
  skills: z
    .array(z.enum(skillList))
    .max(skillList.length)
    .refine((all) => new Set(all).size === all.length, 'a skill is named twice'),
});
const operatorSkillsView = z
  .object({
    /** The skills the menu routes calls by (telephony/menu.ts). */
    skills: z.array(z.string()),
    /** The court's operators; an empty list of skills takes every call. */
    operators: z.array(z.object({ userId: z.string(), username: z.string(), displayName: z.string(), active: z.boolean(), skills: z.array(z.string()) })),
  })
  .meta({ id: 'OperatorSkills' });

async function courtOperators(db: Db, courtId: string): Promise<z.infer<typeof operatorSkillsView>> {
  const rows = await db
    .select({ userId: users.id, username: users.username, displayName: users.displayName, active: users.active, skill: operatorSkills.skill })
    .from(users)
    .leftJoin(operatorSkills, eq(operatorSkills.userId, users.id))
    .where(and(eq(users.courtId, courtId), eq(users.role, 'operator')))
    .orderBy(asc(users.username), asc(operatorSkills.skill));
  const operators = new Map<string, z.infer<typeof operatorSkillsView>['operators'][number]>();
  for (const { skill, ...user } of rows) {
    const op = operators.get(user.userId) ?? { ...user, skills: [] };
    if (skill) op.skills.push(skill);
    operators.set(user.userId, op);
  }
  return { skills: skillList, operators: [...operators.values()] };
}

/**
 * Operators' skills (the ACD offers a call only to an operator with its skill, or with none): the court's managers
 * and admins read them, its admin replaces an operator's list. The change reaches an operator already in the queue
 * at once (their next call); the api's hook audits it (admin.action).
 */
export function registerOperatorSkillRoutes(app: ApiApp, o: { db: Db; live: LiveState }): void {
  app.get('/api/telephony/operator-skills', {
    config: { roles: ['admin', 'manager'] },
    schema: { tags, summary: "The court's operators and the skills each takes calls for", response: { 200: operatorSkillsView, ...errorResponses } },
    handler: async (request) => courtOperators(o.db, request.actor.courtId),
  });

  app.put('/api/telephony/operator-skills/:userId', {
    config: { roles: ['admin'] },
    schema: {
      tags,
      summary: "Replace an operator's skills (none: takes every call); applies to their next call",
      params: idParam('userId'),
      body: skillsBody,
      response: { 200: operatorSkillsView, ...errorResponses },
    },
    handler: async (request) => {
      const { userId } = request.params;
      const [user] = await o.db.select({ courtId: users.courtId, role: users.role }).from(users).where(eq(users.id, userId));
      // Another court's user, or one who is not an operator, is "not found" here: nothing to tell about them.
      assertSameCourt(request.actor, user?.role === 'operator' ? user : undefined, 'operator');
      const chosen = request.body.skills;
      await o.db.transaction(async (tx) => {
        await tx.delete(operatorSkills).where(eq(operatorSkills.userId, userId));
        if (chosen.length > 0) await tx.insert(operatorSkills).values(chosen.map((skill) => ({ userId, skill })));
      });
      await o.live.updateSkills(userId, chosen);
      request.log.info({ actor: request.actor.userId, operator: userId, skills: chosen }, 'operator skills set');
      return courtOperators(o.db, request.actor.courtId);
    },
  });
}
