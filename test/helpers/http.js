'use strict';

const { requestJson } = require('../../scripts/lib/cms');

/** Calls `check` until it returns a truthy value or `timeoutMs` passes; returns that value. */
async function waitFor(description, check, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const detail = last instanceof Error ? last.message : JSON.stringify(last);
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}; last result: ${detail}`);
}

/** Throws with the status and body unless the response status is in `expected`. */
function expectStatus(response, expected, action) {
  const list = Array.isArray(expected) ? expected : [expected];
  if (!list.includes(response.status)) {
    throw new Error(`${action}: expected HTTP ${list.join(' or ')}, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
  }
  return response.body;
}

/** Pages through a pull feed (`/content/changes`) from the start and returns every item. */
async function readWholeFeed(baseUrl, token, limit = 100) {
  const items = [];
  let cursor = '1970-01-01T00:00:00Z';
  for (let page = 0; page < 10_000; page += 1) {
    const response = await requestJson(`${baseUrl}/content/changes?limit=${limit}&cursor=${encodeURIComponent(cursor)}`, { token });
    const body = expectStatus(response, 200, `GET ${baseUrl}/content/changes`);
    items.push(...body.items);
    cursor = body.cursor;
    const more = body.has_more === undefined ? body.items.length > 0 : body.has_more;
    if (!more) return items;
  }
  throw new Error(`Feed at ${baseUrl} did not end after 10,000 pages`);
}

/** Pages through `/content` (the whole current state) and returns every ContentSkills item. */
async function readWholeState(baseUrl, token, limit = 100) {
  const items = [];
  let cursor;
  for (let page = 0; page < 10_000; page += 1) {
    const query = cursor ? `limit=${limit}&cursor=${encodeURIComponent(cursor)}` : `limit=${limit}`;
    const response = await requestJson(`${baseUrl}/content?${query}`, { token });
    const body = expectStatus(response, 200, `GET ${baseUrl}/content`);
    items.push(...body.items);
    cursor = body.cursor;
    const more = body.has_more === undefined ? body.items.length > 0 : body.has_more;
    if (!more) return items;
  }
  throw new Error(`State at ${baseUrl} did not end after 10,000 pages`);
}

module.exports = { requestJson, waitFor, expectStatus, readWholeFeed, readWholeState };
