/** A failed API call: the problem+json body (RFC 9457) the gateway or a service answered with. */
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(status: number, code: string, detail: string, errors: FieldError[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
  }

  /** The message of the first error on this field, if the API named one. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

const FALLBACK_DETAIL: Record<number, string> = {
  0: 'The server cannot be reached. Check your connection and try again.',
  429: 'Too many requests; wait a moment and try again.',
  502: 'The service is temporarily unavailable; try again shortly.',
  503: 'The service is temporarily unavailable; try again shortly.',
  504: 'The service is temporarily unavailable; try again shortly.',
};

/** Builds the error for a non-2xx response from its body, whatever the body turned out to be. */
export function problemFrom(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object') {
    const p = body as Record<string, unknown>;
    const detail = typeof p.detail === 'string' && p.detail ? p.detail : undefined;
    const title = typeof p.title === 'string' ? p.title : undefined;
    const code = typeof p.code === 'string' ? p.code : `HTTP_${status}`;
    const errors = Array.isArray(p.errors)
      ? p.errors
          .filter((e): e is FieldError => !!e && typeof e === 'object' && typeof (e as FieldError).field === 'string')
          .map((e) => ({ field: e.field, message: String(e.message ?? '') }))
      : [];
    return new ApiError(status, code, detail ?? title ?? fallbackDetail(status), errors);
  }
  return new ApiError(status, `HTTP_${status}`, fallbackDetail(status));
}

function fallbackDetail(status: number): string {
  return FALLBACK_DETAIL[status] ?? `The request failed (HTTP ${status}).`;
}

export function networkError(): ApiError {
  return new ApiError(0, 'NETWORK_ERROR', fallbackDetail(0));
}

/** What to show for any error thrown by an API call. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    return error.detail;
  }
  return 'Something went wrong. Please try again.';
}
