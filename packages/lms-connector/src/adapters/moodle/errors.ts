import { AdapterError, type AdapterErrorKind } from '../types';

/** The error body Moodle sends with HTTP 200 when a web service call fails. */
export interface MoodleException {
  exception: string;
  errorcode: string;
  message: string;
  debuginfo?: string;
}

/** A failed call to Moodle, classified for the adapter worker, with Moodle's own error fields kept. */
export class MoodleCallError extends AdapterError {
  constructor(
    kind: AdapterErrorKind,
    code: string,
    message: string,
    readonly wsfunction: string,
    readonly moodle?: MoodleException,
  ) {
    super(kind, code, message);
    this.name = 'MoodleCallError';
  }

  /** Moodle's error code (`invalidtoken`, `invalidpersistenterror`...), or undefined for transport failures. */
  get errorcode(): string | undefined {
    return this.moodle?.errorcode;
  }
}

export function isMoodleException(body: unknown): body is MoodleException {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as Record<string, unknown>).exception === 'string'
  );
}

interface Classification {
  kind: AdapterErrorKind;
  code: string;
  nextStep: string;
}

// Moodle 4.2+ may send namespaced class names such as `core\exception\moodle_exception`.
function shortClassName(exception: string): string {
  const parts = exception.split('\\');
  return parts[parts.length - 1] ?? exception;
}

function classify(error: MoodleException): Classification {
  const exceptionClass = shortClassName(error.exception);

  if (error.errorcode === 'invalidtoken') {
    return {
      kind: 'paused',
      code: 'MOODLE_TOKEN_INVALID',
      nextStep:
        'check the token under Site administration > Server > Web services > Manage tokens; if it was deleted, create one, set MOODLE_TOKEN and restart the connector',
    };
  }
  if (exceptionClass === 'webservice_access_exception') {
    return {
      kind: 'paused',
      code: 'MOODLE_ACCESS_DENIED',
      nextStep:
        'check that the token is not expired and that its external service lists this function (Site administration > Server > Web services > External services > Functions)',
    };
  }
  if (error.errorcode === 'nopermissions' || exceptionClass === 'required_capability_exception') {
    return {
      kind: 'paused',
      code: 'MOODLE_CAPABILITY_MISSING',
      nextStep: "give the token's user the capability named in the message (Site administration > Users > Permissions > Define roles)",
    };
  }
  if (error.errorcode === 'competenciesarenotenabled') {
    return {
      kind: 'paused',
      code: 'MOODLE_COMPETENCIES_DISABLED',
      nextStep: 'enable competencies under Site administration > Competencies > Competencies settings',
    };
  }
  if (error.errorcode === 'invalidparameter' || exceptionClass === 'invalid_parameter_exception') {
    return { kind: 'permanent', code: 'MOODLE_INVALID_PARAMETER', nextStep: 'fix the value Moodle names, then replay the task' };
  }
  if (error.errorcode === 'invalidpersistenterror' || exceptionClass === 'invalid_persistent_exception') {
    return { kind: 'permanent', code: 'MOODLE_VALIDATION_FAILED', nextStep: 'fix the field Moodle names, then replay the task' };
  }
  if (error.errorcode === 'invalidrecord' || exceptionClass === 'dml_missing_record_exception') {
    return { kind: 'permanent', code: 'MOODLE_RECORD_NOT_FOUND', nextStep: 'check that the course or competency id exists in Moodle' };
  }
  if (exceptionClass === 'require_login_exception') {
    return { kind: 'permanent', code: 'MOODLE_COURSE_NOT_ACCESSIBLE', nextStep: "make the course visible or enrol the token's user, then replay the task" };
  }
  return { kind: 'permanent', code: 'MOODLE_CALL_FAILED', nextStep: 'read the Moodle message, fix the cause, then replay the task' };
}

/** Turns a Moodle error body into a classified error; the message never contains the token. */
export function errorFromException(wsfunction: string, error: MoodleException): MoodleCallError {
  const { kind, code, nextStep } = classify(error);
  const detail = error.debuginfo ? ` (${error.debuginfo.trim()})` : '';
  const message = `Moodle rejected ${wsfunction}: ${error.message}${detail} [${error.exception}/${error.errorcode}]; ${nextStep}`;
  return new MoodleCallError(kind, code, message, wsfunction, error);
}
