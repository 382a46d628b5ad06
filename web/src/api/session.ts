import { ApiError, networkError, problemFrom } from './problem';
import type { Tokens } from './types';

/** Where the refresh token survives a reload. The access token stays in memory only. */
export interface TokenStore {
  get(): string | null;
  set(value: string | null): void;
}

/** Mutual exclusion across the tabs of one browser, so that two tabs never spend the same refresh token. */
export interface CrossTabLock {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  /** Send the access token (default true). Public reads pass false. */
  auth?: boolean;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Answer the body as a Blob (a download) instead of parsing JSON; errors are still problem+json. */
  blob?: boolean;
}

/** Refresh this long before the access token expires, so a request never leaves with a token about to die. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The signed-in session: logs in, keeps the tokens, and calls the API with a valid access token.
 *
 * Refresh tokens rotate (API.md): each refresh answers a new one and the old one stops working; spending
 * an old one again revokes the whole family. So at most one refresh is ever in flight: requests of this
 * tab that need a refresh at the same time share one (single flight), and tabs take turns through a
 * cross-tab lock, each reading the newest refresh token only once it holds the lock.
 */
export class Session {
  private accessToken: string | null = null;
  private accessExpiresAt = 0;
  private refreshing: Promise<string | null> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly fetchFn: FetchFn,
    private readonly store: TokenStore,
    private readonly lock: CrossTabLock,
    private readonly now: () => number = () => Date.now(),
    private readonly baseUrl = '',
  ) {}

  /** True while a refresh token is kept (the user has not logged out). */
  get active(): boolean {
    return this.store.get() !== null;
  }

  /** Called when the session ends by itself (refresh token rejected, or logged out in another tab). */
  onEnded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(email: string, password: string): Promise<void> {
    const tokens = await this.call<Tokens>('POST', '/api/v1/auth/login', { auth: false, body: { email, password } });
    this.accept(tokens);
  }

  async logout(): Promise<void> {
    const refreshToken = this.store.get();
    this.forget();
    if (refreshToken) {
      try {
        await this.call<void>('POST', '/api/v1/auth/logout', { auth: false, body: { refreshToken } });
      } catch {
        // the local session is gone either way; the token expires by itself
      }
    }
  }

  /** Forgets the tokens of this tab (after a logout elsewhere, or when the session was rejected). */
  forget(): void {
    this.accessToken = null;
    this.accessExpiresAt = 0;
    this.store.set(null);
  }

  /** A valid access token, refreshed first when it is missing or about to expire; null when signed out. */
  async validAccessToken(): Promise<string | null> {
    if (this.accessToken && this.now() < this.accessExpiresAt - EXPIRY_MARGIN_MS) {
      return this.accessToken;
    }
    return this.refresh();
  }

  /**
   * Exchanges the refresh token for new tokens; concurrent callers share one exchange. Answers the new
   * access token, or null when the session is over (no refresh token, or the API rejected it). Throws
   * when the API cannot be reached: the session is then kept for a later try.
   */
  refresh(): Promise<string | null> {
    if (!this.refreshing) {
      const started = this.accessToken;
      this.refreshing = this.lock
        .run(async () => {
          // another caller of this tab may have finished a refresh while we waited for the lock
          if (this.accessToken && this.accessToken !== started && this.now() < this.accessExpiresAt - EXPIRY_MARGIN_MS) {
            return this.accessToken;
          }
          const refreshToken = this.store.get();
          if (!refreshToken) {
            return null;
          }
          try {
            const tokens = await this.call<Tokens>('POST', '/api/v1/auth/refresh', {
              auth: false,
              body: { refreshToken },
            });
            this.accept(tokens);
            return tokens.accessToken;
          } catch (e) {
            if (e instanceof ApiError && e.status === 401) {
              if (this.store.get() === refreshToken) {
                this.forget();
              }
              this.ended();
              return null;
            }
            throw e;
          }
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  /**
   * Calls the API. With auth (the default) the access token is sent; a 401 answer leads to one refresh
   * and one retry. Throws {@link ApiError} for any non-2xx answer.
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    if (options.auth === false) {
      return this.call<T>(method, path, options);
    }
    const token = await this.validAccessToken();
    if (!token) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Please log in to continue.');
    }
    try {
      return await this.call<T>(method, path, options, token);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) {
        throw e;
      }
      const renewed = await this.refresh();
      if (!renewed) {
        throw new ApiError(401, 'UNAUTHORIZED', 'Your session has ended. Please log in again.');
      }
      return this.call<T>(method, path, options, renewed);
    }
  }

  private accept(tokens: Tokens): void {
    this.accessToken = tokens.accessToken;
    this.accessExpiresAt = this.now() + tokens.expiresIn * 1000;
    this.store.set(tokens.refreshToken);
  }

  private ended(): void {
    this.listeners.forEach((listener) => listener());
  }

  private async call<T>(method: string, path: string, options: RequestOptions, token?: string): Promise<T> {
    const headers: Record<string, string> = { Accept: options.blob ? '*/*' : 'application/json', ...options.headers };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    let response: Response;
    try {
      response = await this.fetchFn(this.baseUrl + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') {
        throw e;
      }
      throw networkError();
    }
    if (options.blob && response.ok) {
      return (await response.blob()) as T;
    }
    const text = await response.text();
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    if (!response.ok) {
      throw problemFrom(response.status, body);
    }
    return body as T;
  }
}

/** The refresh token in localStorage, so that a reload or a new tab keeps the user signed in. */
export function localStorageTokenStore(key = 'couponhub.refreshToken'): TokenStore {
  return {
    get: () => {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set: (value) => {
      try {
        if (value === null) {
          window.localStorage.removeItem(key);
        } else {
          window.localStorage.setItem(key, value);
        }
      } catch {
        // storage disabled: the session lasts as long as the tab
      }
    },
  };
}

/** Web Locks where the browser has them; otherwise (old browsers) a lock within this tab. */
export function browserLock(name = 'couponhub.refresh'): CrossTabLock {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks) {
    return {
      // the lock is held until the task's promise settles; request() answers that promise's outcome
      run: <T,>(task: () => Promise<T>) => locks.request(name, () => task()) as unknown as Promise<T>,
    };
  }
  return inTabLock();
}

export function inTabLock(): CrossTabLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task, task);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
