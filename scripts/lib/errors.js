'use strict';

/**
 * A failure the user can fix. `npm start` prints `message` on one line (it names the value and the fix)
 * and exits with code 1, without a stack trace.
 */
class DemoError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'DemoError';
    this.code = code;
  }
}

module.exports = { DemoError };
