/** A failure the double reports the way Moodle does: HTTP 200 with an exception body. */
export class MoodleError extends Error {
  constructor(
    readonly exception: string,
    readonly errorcode: string,
    message: string,
    readonly debuginfo?: string,
  ) {
    super(message);
  }

  toBody(withDebugInfo: boolean): Record<string, string> {
    const body: Record<string, string> = { exception: this.exception, errorcode: this.errorcode, message: this.message };
    if (withDebugInfo && this.debuginfo !== undefined) body.debuginfo = this.debuginfo;
    return body;
  }
}

export const invalidToken = () => new MoodleError('moodle_exception', 'invalidtoken', 'Invalid token - token not found');

export const accessException = (debuginfo: string) =>
  new MoodleError('webservice_access_exception', 'accessexception', 'Access control exception', debuginfo);

export const invalidParameter = (debuginfo: string) =>
  new MoodleError('invalid_parameter_exception', 'invalidparameter', 'Invalid parameter value detected', debuginfo);

export const noPermission = (capability: string, label: string) =>
  new MoodleError(
    'required_capability_exception',
    'nopermissions',
    `Sorry, but you do not currently have permissions to do that (${label}).`,
    capability,
  );

export const competenciesDisabled = () =>
  new MoodleError('moodle_exception', 'competenciesarenotenabled', 'Competencies are not enabled.');

/** Persistent validation: the message and debuginfo list `field: message` pairs. */
export const invalidPersistent = (errors: Record<string, string>) => {
  const text = Object.entries(errors)
    .map(([field, message]) => `${field}: ${message}`)
    .join(', ');
  return new MoodleError('core\\invalid_persistent_exception', 'invalidpersistenterror', `Error: ${text}`, text);
};

export const missingRecord = (table: string) =>
  new MoodleError('dml_missing_record_exception', 'invalidrecord', `Can't find data record in database table ${table}.`);

export const dmlWrite = (debuginfo: string) =>
  new MoodleError('dml_write_exception', 'dmlwriteexception', 'Error writing to database', debuginfo);

export const requireLogin = () =>
  new MoodleError('require_login_exception', 'requireloginerror', 'Course or activity not accessible. (Course is hidden)');

export const codingException = (debuginfo: string) =>
  new MoodleError('coding_exception', 'codingerror', `Coding error detected, it must be fixed by a programmer: ${debuginfo}`, debuginfo);
