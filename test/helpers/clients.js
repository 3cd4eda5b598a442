'use strict';

const { requestJson } = require('../../scripts/lib/cms');
const { PULL_PATH } = require('../../scripts/lib/stack');
const { expectStatus } = require('./http');

const COURSE_UID = 'api::course.course';

/** Drives the CMS as an editor would: the content API with the demo's token, the admin API for unpublish. */
class CmsClient {
  constructor(credentials) {
    this.url = credentials.cms_url;
    this.token = credentials.cms_api_token;
    this.credentials = credentials;
    this.adminJwt = null;
  }

  async courseBySourceId(sourceId) {
    const response = await requestJson(`${this.url}/api/courses?filters[source_id][$eq]=${encodeURIComponent(sourceId)}&status=draft`, { token: this.token });
    const body = expectStatus(response, 200, `find course ${sourceId}`);
    if (body.data.length !== 1) throw new Error(`expected one course with source_id ${sourceId}, found ${body.data.length}`);
    return body.data[0];
  }

  async listCourses(pageSize = 100) {
    const response = await requestJson(`${this.url}/api/courses?pagination[pageSize]=${pageSize}&sort=id&status=draft`, { token: this.token });
    return expectStatus(response, 200, 'list courses').data;
  }

  /**
   * Returns `count` courses without tags. The seed script tags some courses, and a test that tags a
   * course expects to own its whole tag history.
   */
  async untaggedCourses(count) {
    const courses = (await this.listCourses(100)).filter((course) => !course.skill_tags || course.skill_tags.length === 0);
    if (courses.length < count) throw new Error(`expected ${count} untagged courses among the first 100, found ${courses.length}`);
    return courses.slice(0, count);
  }

  /** Replaces the course's skill tags; a content API PUT without `status=draft` also publishes. */
  async setTags(documentId, skillTags) {
    const response = await requestJson(`${this.url}/api/courses/${documentId}`, { method: 'PUT', token: this.token, body: { data: { skill_tags: skillTags } } });
    return expectStatus(response, 200, `PUT course ${documentId}`).data;
  }

  async deleteCourse(documentId) {
    const response = await requestJson(`${this.url}/api/courses/${documentId}`, { method: 'DELETE', token: this.token });
    expectStatus(response, [200, 204], `DELETE course ${documentId}`);
  }

  async adminToken() {
    if (this.adminJwt) return this.adminJwt;
    const response = await requestJson(`${this.url}/admin/login`, {
      method: 'POST',
      body: { email: this.credentials.admin_email, password: this.credentials.admin_password },
    });
    this.adminJwt = expectStatus(response, 200, 'admin login').data.token;
    return this.adminJwt;
  }

  /** Unpublishes through the Content Manager's admin route, as the admin panel's Unpublish button does. */
  async unpublish(documentId, locale = 'en') {
    const token = await this.adminToken();
    const response = await requestJson(`${this.url}/content-manager/collection-types/${COURSE_UID}/${documentId}/actions/unpublish?locale=${locale}`, {
      method: 'POST',
      token,
      body: {},
    });
    expectStatus(response, 200, `unpublish course ${documentId}`);
  }

  pullUrl() {
    return `${this.url}${PULL_PATH}`;
  }

  async pull(path) {
    const response = await requestJson(`${this.pullUrl()}${path}`, { token: this.token });
    return expectStatus(response, 200, `GET ${PULL_PATH}${path}`);
  }
}

/** Reads the connector with the demo's admin key. */
class ConnectorClient {
  constructor(credentials) {
    this.url = credentials.connector_url;
    this.key = credentials.connector_key;
  }

  async get(path) {
    return requestJson(`${this.url}${path}`, { token: this.key });
  }

  async content(contentId, locale = 'en') {
    const response = await this.get(`/content/${encodeURIComponent(contentId)}?locale=${locale}`);
    if (response.status === 404) return null;
    return expectStatus(response, 200, `GET /content/${contentId}`);
  }

  /** Runs a reconciliation to the end (`wait=true`) and returns its report of counts. */
  async reconcile(mode) {
    const response = await requestJson(`${this.url}/reconcile?mode=${mode}&wait=true`, { method: 'POST', token: this.key, body: {} });
    const body = expectStatus(response, 200, `POST /reconcile?mode=${mode}`);
    if (body.status !== 'done') {
      throw new Error(`reconciliation ${body.run_id} ended ${body.status}: ${JSON.stringify(body.report)}`);
    }
    return body.report;
  }
}

module.exports = { CmsClient, ConnectorClient, COURSE_UID };
