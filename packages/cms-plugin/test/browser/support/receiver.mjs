import http from 'node:http';

/**
 * Webhook receiver on 127.0.0.1 that records every request it responds to, with its raw body. stop() and
 * start() keep the port, so an endpoint URL stays valid across an outage. hang() makes it accept
 * requests and never respond, like a receiver that stopped responding, so each delivery attempt lasts
 * until the sender's timeout.
 */
export const createReceiver = async () => {
  const requests = [];
  const hung = new Set();
  let hanging = false;
  let server = null;
  let port = 0;

  const handler = (req, res) => {
    if (hanging) {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, receivedAt: new Date() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: true }));
    });
  };

  const hang = () => {
    hanging = true;
  };

  const respondAgain = () => {
    hanging = false;
    for (const res of hung) res.destroy();
    hung.clear();
  };

  const start = () =>
    new Promise((resolve, reject) => {
      server = http.createServer(handler);
      // Longer than any test: otherwise the server closes an idle keep-alive socket just as the sender
      // reuses it, and that attempt fails at once with ECONNRESET instead of waiting for a response.
      server.keepAliveTimeout = 600_000;
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        resolve();
      });
    });

  const stop = () =>
    new Promise((resolve) => {
      respondAgain();
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
    hang,
    respondAgain,
  };
};
