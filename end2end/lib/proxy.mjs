// Starting a real web server (nginx, Caddy) on loopback for the deploy-config tests.
import fs from 'node:fs';
import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

/**
 * Waits until `port` accepts connections; fails at once, with the server's log, when `child`
 * exits first (a configuration error).
 */
export async function waitForPort(port, child, { name = 'server', logFile } = {}) {
  const log = () => (logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '(no log)');
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not start listening on ${port}: ${log()}`);
}
