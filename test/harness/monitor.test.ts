import { createServer, type Server } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { openMonitor } from './redis.ts';

let server: Server | undefined;
afterAll(() => new Promise((resolve) => server?.close(resolve)));

it("opens a monitor when other clients' commands arrive in the same read as MONITOR's OK (a busy Redis)", async () => {
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      // Each RESP array's first bulk string is its command's name (test-sized chunks: commands arrive whole).
      for (const [, name] of chunk.toString().matchAll(/\*\d+\r\n\$\d+\r\n([^\r]*)\r\n/g)) {
        const command = name!.toUpperCase();
        if (command === 'HELLO') socket.write('%1\r\n+server\r\n+redis\r\n');
        else if (command === 'INFO') socket.write('$11\r\nloading:0\r\n\r\n');
        else if (command === 'MONITOR') {
          socket.write('+OK\r\n+1796615634.484330 [0 127.0.0.1:51450] "hello" "3"\r\n');
          setTimeout(() => socket.write('+1796615634.584330 [0 127.0.0.1:51450] "ping"\r\n'), 20);
        } else socket.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const monitor = await openMonitor(`redis://127.0.0.1:${(server.address() as { port: number }).port}`);
  const seen = await new Promise<string[]>((resolve) => monitor.once('monitor', (_time: string, args: string[]) => resolve(args)));
  monitor.disconnect();
  expect(seen).toEqual(['ping']);
});
