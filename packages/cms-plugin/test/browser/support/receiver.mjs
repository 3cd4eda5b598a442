import http from 'node:http';

/**
 * Webhook receiver on 127.0.0.1 that records every request with its raw body. stop() and start()
 * keep the port, so an endpoint URL stays valid across an outage.
 */
export const createReceiver = async () => {
  const requests = [];
  let server = null;
  let port = 0;

  const handler = (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, receivedAt: new Date() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: true }));
    });
  };

  const start = () =>
    new Promise((resolve, reject) => {
      server = http.createServer(handler);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        resolve();
      });
    });

  const stop = () =>
    new Promise((resolve) => {
      if (!server) return resolve();
      server.closeAllConnections?.();
      server.close(() => resolve());
      server = null;
    });

  await start();

  return {
    requests,
    get url() {
      return `http://127.0.0.1:${port}/hooks/skills`;
    },
    start,
    stop,
  };
};
