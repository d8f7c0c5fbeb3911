import { afterEach } from 'vitest';
import { startAriSim, type AriSim } from '../index.ts';
import { RestSocket } from './rest-socket.ts';

/**
 * A stand-in per test and the REST sockets opened on it: after each test the sockets are closed and the stand-in
 * stopped. Call at the top of a test file.
 */
export function simPerTest(): { start(options?: Parameters<typeof startAriSim>[0]): Promise<AriSim>; open(url: string): Promise<RestSocket> } {
  const sims: AriSim[] = [];
  const sockets: RestSocket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    for (const sim of sims.splice(0)) await sim.stop();
  });
  return {
    start: async (options) => {
      const sim = await startAriSim(options);
      sims.push(sim);
      return sim;
    },
    open: async (url) => {
      const socket = await RestSocket.open(url);
      sockets.push(socket);
      return socket;
    },
  };
}
