import { and, eq, isNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import { sipEndpointRenames } from '../../platform/sip-endpoint-renames.sql.ts';

export interface SipEndpointRename {
  userId: string;
  username: string;
  courtId: string;
  fromEndpoint: string;
  toEndpoint: string;
  renamedAt: Date;
}

/** Renames the unique-endpoint migration made that no admin has confirmed yet; of one court, or of all. */
export async function unconfirmedSipEndpointRenames(db: Db, courtId?: string): Promise<SipEndpointRename[]> {
  return db
    .select({
      userId: sipEndpointRenames.userId,
      username: users.username,
      courtId: sipEndpointRenames.courtId,
      fromEndpoint: sipEndpointRenames.fromEndpoint,
      toEndpoint: sipEndpointRenames.toEndpoint,
      renamedAt: sipEndpointRenames.renamedAt,
    })
    .from(sipEndpointRenames)
    .innerJoin(users, eq(users.id, sipEndpointRenames.userId))
    .where(and(isNull(sipEndpointRenames.confirmedAt), courtId ? eq(sipEndpointRenames.courtId, courtId) : undefined))
    .orderBy(users.username);
}

/** An admin set the user's endpoint: the migration's rename, if any, is settled. */
export async function confirmSipEndpointRename(tx: Pick<Db, 'update'>, userId: string): Promise<void> {
  await tx.update(sipEndpointRenames).set({ confirmedAt: new Date() }).where(and(eq(sipEndpointRenames.userId, userId), isNull(sipEndpointRenames.confirmedAt)));
}

/**
 * The start-up check: every user the migration had to move off a shared endpoint, logged at error with what to do,
 * until their court's admin confirms an endpoint (GET /api/users/sip-endpoint-renames lists them).
 */
export async function reportSipEndpointRenames(db: Db, logger: Logger): Promise<number> {
  const renames = await unconfirmedSipEndpointRenames(db);
  for (const r of renames) {
    logger.error(
      { userId: r.userId, username: r.username, courtId: r.courtId, from: r.fromEndpoint, to: r.toEndpoint },
      'this user shared a softphone endpoint with an earlier user and was renamed: an admin of its court sets its endpoint (PATCH /api/users/{id} sipEndpoint), then runs telephony:endpoints --reload',
    );
  }
  return renames.length;
}
