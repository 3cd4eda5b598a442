import { winston, formats } from '@strapi/logger';

// LOG_LEVEL lets tests and scripts quiet Strapi without changing code (default: http).
export default {
  level: process.env.LOG_LEVEL || 'http',
  transports: [new winston.transports.Console({ format: formats.prettyPrint() })],
};
