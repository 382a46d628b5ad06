import { describe, expect, it } from 'vitest';
import { ApiError } from './problem';
import { inTabLock, Session, type FetchFn, type TokenStore } from './session';

function memoryStore(initial: string | null = null): TokenStore & { value: string | null } {
  const store = {
    value: initial,
    get: () => store.value,
    set: (v: string | null) => {
      store.value = v;
    },
  };
  return store;
}

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

/**
 * A user-service that rotates refresh tokens like the real one: each refresh token works once, and
 * spending a rotated one again revokes the whole family.
 */
function fakeApi() {
  let generation = 0;
  const live = new Set<string>();
  const spent = new Set<string>();
  let familyRevoked = false;
  const calls: { path: string; auth: string | null }[] = [];
  const validAccess = new Set<string>();
  const issue = () => {
    generation++;
    const tokens = { accessToken: `access-${generation}`, refreshToken: `refresh-${generation}`, tokenType: 'Bearer', expiresIn: 900 };
    live.add(tokens.refreshToken);
    validAccess.add(tokens.accessToken);
    return tokens;
  };
  const fetchFn: FetchFn = async (path, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ path, auth: headers.Authorization ?? null });
    await Promise.resolve();
    if (path === '/api/v1/auth/login') {
      return json(200, issue());
    }
    if (path === '/api/v1/auth/refresh') {
      const { refreshToken } = JSON.parse(String(init?.body));
      if (spent.has(refreshToken)) {
        familyRevoked = true;
        live.clear();
      }
      if (familyRevoked || !live.has(refreshToken)) {
        return json(401, { status: 401, code: 'INVALID_REFRESH_TOKEN', detail: 'The refresh token is not valid.' });
      }
      live.delete(refreshToken);
      spent.add(refreshToken);
      return json(200, issue());
    }
    if (path === '/api/v1/auth/logout') {
      return json(204, undefined);
    }
    const token = headers.Authorization?.replace('Bearer ', '');
    if (!token || !validAccess.has(token)) {
      return json(401, { status: 401, code: 'UNAUTHORIZED', detail: 'The access token has expired.' });
    }
    return json(200, { path, token });
  };
  return {
    fetchFn,
    calls,
    expireAccessTokens: () => validAccess.clear(),
    get familyRevoked() {
      return familyRevoked;
    },
  };
}

describe('Session', () => {
  it('login keeps the refresh token and sends the access token', async () => {
    const server = fakeApi();
    const store = memoryStore();
    const session = new Session(server.fetchFn, store, inTabLock());
    await session.login('mina@example.com', 'correct-horse-42');
    expect(store.value).toBe('refresh-1');
    const answer = await session.request<{ token: string }>('GET', '/api/v1/users/me');
    expect(answer.token).toBe('access-1');
  });

  it('two requests racing on an expired access token share one refresh and both succeed', async () => {
    const server = fakeApi();
    const store = memoryStore();
    const session = new Session(server.fetchFn, store, inTabLock());
    await session.login('mina@example.com', 'pw-12345678');
    server.expireAccessTokens();

    const [a, b] = await Promise.all([
      session.request<{ token: string }>('GET', '/api/v1/users/me'),
      session.request<{ token: string }>('GET', '/api/v1/issued-coupons'),
    ]);

    expect(a.token).toBe('access-2');
    expect(b.token).toBe('access-2');
    expect(server.calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(server.familyRevoked).toBe(false);
    expect(store.value).toBe('refresh-2');
  });

  it('two tabs refreshing at once take turns and never spend the same refresh token twice', async () => {
    const server = fakeApi();
    const store = memoryStore();
    const lock = inTabLock(); // stands in for the browser-wide Web Lock both tabs share
    const tabA = new Session(server.fetchFn, store, lock);
    await tabA.login('mina@example.com', 'pw-12345678');
    const tabB = new Session(server.fetchFn, store, lock);

    const [a, b] = await Promise.all([tabA.refresh(), tabB.refresh()]);

    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(server.familyRevoked).toBe(false);
    expect(store.value).toBe('refresh-3');
  });

  it('refreshes ahead of expiry instead of sending a token about to expire', async () => {
    const server = fakeApi();
    let now = 0;
    const session = new Session(server.fetchFn, memoryStore(), inTabLock(), () => now);
    await session.login('mina@example.com', 'pw-12345678');
    now = 880_000; // 20 s before the 900 s expiry
    expect(await session.validAccessToken()).toBe('access-2');
  });

  it('a rejected refresh token ends the session and tells the listeners', async () => {
    const server = fakeApi();
    const store = memoryStore('refresh-unknown');
    const session = new Session(server.fetchFn, store, inTabLock());
    let ended = 0;
    session.onEnded(() => ended++);

    await expect(session.request('GET', '/api/v1/users/me')).rejects.toMatchObject({ status: 401 });
    expect(store.value).toBeNull();
    expect(ended).toBe(1);
    expect(session.active).toBe(false);
  });

  it('an unreachable API keeps the session for a later try', async () => {
    const store = memoryStore('refresh-1');
    const session = new Session(async () => {
      throw new TypeError('Failed to fetch');
    }, store, inTabLock());
    await expect(session.refresh()).rejects.toBeInstanceOf(ApiError);
    expect(store.value).toBe('refresh-1');
  });

  it('problem+json answers become errors carrying detail, code and field errors', async () => {
    const session = new Session(
      async () =>
        json(400, {
          type: 'https://couponhub.dev/problems/validation-failed',
          status: 400,
          code: 'VALIDATION_FAILED',
          detail: 'The request is not valid.',
          errors: [{ field: 'name', message: 'must not be blank' }],
        }),
      memoryStore(),
      inTabLock(),
    );
    const error = (await session.request('POST', '/api/v1/auth/signup', { auth: false, body: {} }).catch((e) => e)) as ApiError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.detail).toBe('The request is not valid.');
    expect(error.fieldMessage('name')).toBe('must not be blank');
  });

  it('logout forgets the tokens and revokes the refresh token', async () => {
    const server = fakeApi();
    const store = memoryStore();
    const session = new Session(server.fetchFn, store, inTabLock());
    await session.login('mina@example.com', 'pw-12345678');
    await session.logout();
    expect(store.value).toBeNull();
    expect(server.calls.at(-1)?.path).toBe('/api/v1/auth/logout');
    await expect(session.request('GET', '/api/v1/users/me')).rejects.toMatchObject({ status: 401 });
  });
});
