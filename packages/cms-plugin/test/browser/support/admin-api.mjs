/** Minimal client of Strapi's admin REST API, authenticated with an admin access token. */
export const adminApi = (baseUrl, token) => {
  const request = async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    return { status: response.status, body: json };
  };

  const ok = async (method, path, body) => {
    const result = await request(method, path, body);
    if (result.status >= 300) {
      throw new Error(`${method} ${path} failed with ${result.status}: ${JSON.stringify(result.body)}`);
    }
    return result.body;
  };

  return { request, ok };
};

export const registerFirstAdmin = async (baseUrl, user) => {
  const { body } = await adminApi(baseUrl).request('POST', '/admin/register-admin', user);
  if (!body?.data?.token) throw new Error(`register-admin failed: ${JSON.stringify(body)}`);
  return body.data.token;
};

export const login = async (baseUrl, email, password) => {
  const { body } = await adminApi(baseUrl).request('POST', '/admin/login', { email, password });
  if (!body?.data?.token) throw new Error(`login of ${email} failed: ${JSON.stringify(body)}`);
  return body.data.token;
};

/**
 * Adds the given locales to a role's content-manager permissions on one content type. Strapi creates
 * the default roles before i18n's default locale exists, so their permissions list no locale and the
 * edit view of a localized entry returns 403.
 */
export const grantLocales = async (baseUrl, token, { roleCode, subject, locales }) => {
  const api = adminApi(baseUrl, token);
  const roles = await api.ok('GET', '/admin/roles');
  const role = roles.data.find((candidate) => candidate.code === roleCode);
  const current = await api.ok('GET', `/admin/roles/${role.id}/permissions`);

  const permissions = current.data.map(({ action, subject: permissionSubject, properties, conditions }) => ({
    action,
    subject: permissionSubject,
    properties: permissionSubject === subject ? { ...properties, locales } : properties,
    conditions,
  }));
  await api.ok('PUT', `/admin/roles/${role.id}/permissions`, { permissions });
};

/** Invites an admin user with the given role and completes the registration with a password. */
export const createAdminUser = async (baseUrl, token, { email, password, roleCode }) => {
  const api = adminApi(baseUrl, token);
  const roles = await api.ok('GET', '/admin/roles');
  const role = roles.data.find((candidate) => candidate.code === roleCode);
  if (!role) throw new Error(`role ${roleCode} not found among ${roles.data.map((r) => r.code).join(', ')}`);

  const created = await api.ok('POST', '/admin/users', {
    email,
    firstname: 'Eddie',
    lastname: 'Editor',
    roles: [role.id],
  });
  await adminApi(baseUrl).ok('POST', '/admin/register', {
    registrationToken: created.data.registrationToken,
    userInfo: { firstname: 'Eddie', lastname: 'Editor', password },
  });
};
