import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Queues } from '../../platform/queues.ts';
import { withRoles } from './access.ts';

export const queueBoardPath = '/admin/queues';

/** Bull Board at /admin/queues, admins only. Queues created later by any capability appear on the next request. */
export async function registerQueueBoard(app: FastifyInstance, queues: Queues): Promise<void> {
  // Loaded here, by api processes only: ~5 MB of heap the other roles would keep from start-up for nothing.
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([import('@bull-board/api'), import('@bull-board/api/bullMQAdapter'), import('@bull-board/fastify')]);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(queueBoardPath);
  const board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: '12368 queues' } } });
  let shown = 0;
  const plugin: FastifyPluginAsync = async (instance) => {
    instance.addHook('preHandler', async () => {
      const list = queues.list();
      if (list.length !== shown) {
        board.replaceQueues(list.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })));
        shown = list.length;
      }
    });
    await instance.register(serverAdapter.registerPlugin());
  };
  await app.register(withRoles(['admin'], plugin), { prefix: queueBoardPath });
}
