// Errors are values with a code and a message a user can act on.

/** Codes of errors coldstart itself raises. */
export type ColdstartErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_YAML'
  | 'CONFIG_INVALID'
  | 'CONFIG_VARIABLE'
  | 'HANDLER_NOT_FOUND'
  | 'FUNCTION_NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'INVALID_PARAMETER'
  | 'COMPILE_FAILED';

/** Where in the user's files an error sits. */
export interface ErrorLocation {
  file?: string;
  function?: string;
  key?: string;
  line?: number;
  column?: number;
}

/** An error with a stable code and the place at fault. */
export class ColdstartError extends Error {
  readonly code: ColdstartErrorCode;
  readonly location: ErrorLocation;

  constructor(code: ColdstartErrorCode, message: string, location: ErrorLocation = {}) {
    super(message);
    this.name = `ColdstartError [${code}]`;
    this.code = code;
    this.location = location;
  }

  /** One line naming the file, line:column, function and key, then the message. */
  describe(): string {
    const where: string[] = [];
    const l = this.location;
    if (l.file) where.push(l.line !== undefined ? `${l.file}:${l.line}:${l.column ?? 1}` : l.file);
    if (l.function) where.push(`function "${l.function}"`);
    if (l.key) where.push(`key "${l.key}"`);
    return where.length > 0 ? `${where.join(', ')}: ${this.message}` : this.message;
  }
}

/** True when a value is a ColdstartError. */
export function isColdstartError(value: unknown): value is ColdstartError {
  return value instanceof ColdstartError;
}
