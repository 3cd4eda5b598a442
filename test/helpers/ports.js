'use strict';

const net = require('node:net');

/**
 * Returns a port that was free a moment ago. Strapi and the connector each need a fixed port in their
 * environment, so port 0 cannot be passed through; the small race is accepted.
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = { freePort };
