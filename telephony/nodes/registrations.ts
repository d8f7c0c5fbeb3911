import type { Logger } from '../../platform/logger.ts';
import type { Redis } from '../../platform/redis/connect.ts';
import { operatorLegEndpoint } from '../endpoints/dial-target.ts';

/**
 * Where operators' softphones are registered, across nodes. Each node's holder reads its node's online PJSIP
 * endpoints from ARI and publishes them in Redis (`<prefix>:tel:node:<node>:online`, expiring, so a node without a
 * controller drops out); every controller reads all nodes' lists, so the one holding a caller's node can dial an
 * operator registered on another node over the trunk without asking that node's ARI itself.
 */
export class Registrations {
  private where = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly nodes: string[],
    private readonly logger: Logger,
    private readonly ttlMs = 6000,
  ) {}

  private key(node: string): string {
    return `${this.prefix}:tel:node:${node}:online`;
  }

  /** Published by the node's holder (what GET /endpoints/PJSIP said is online there). */
  async publish(node: string, endpoints: string[]): Promise<void> {
    const key = this.key(node);
    const tx = this.redis.multi().del(key);
    if (endpoints.length > 0) tx.sadd(key, ...endpoints).pexpire(key, this.ttlMs);
    await tx.exec();
  }

  /** Reads every node's list; an endpoint online on several nodes counts on the first listed. */
  async refresh(): Promise<void> {
    try {
      const lists = await Promise.all(this.nodes.map((n) => this.redis.smembers(this.key(n))));
      const where = new Map<string, string>();
      this.nodes.forEach((node, i) => {
        for (const endpoint of lists[i] ?? []) if (endpoint && !where.has(endpoint)) where.set(endpoint, node);
      });
      this.where = where;
    } catch (err) {
      this.logger.debug({ err: (err as Error).message }, 'could not read where softphones are registered');
    }
  }

  registeredOn(endpoint: string): string | undefined {
    return this.where.get(endpoint);
  }

  /**
   * What `node` dials for an ARI endpoint: `PJSIP/<name>` of a softphone or desk phone registered on another node
   * goes through the trunk to it (`PJSIP/<name>@trunk-<that node>`); anything else (a trunk, a number) as given.
   */
  route(endpoint: string, node: string): string {
    const m = /^PJSIP\/([^@/]+)$/.exec(endpoint);
    return m ? `PJSIP/${this.dialEndpoint(m[1]!, node)}` : endpoint;
  }

  /** The operator leg's endpoint as the caller's node dials it (`op1001` or `op1001@trunk-node2`). */
  dialEndpoint(endpoint: string, callNode: string): string {
    return operatorLegEndpoint(endpoint, this.registeredOn(endpoint), callNode);
  }
}
