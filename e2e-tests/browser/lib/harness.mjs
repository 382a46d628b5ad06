// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core, screenshots, API helpers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.COUPONHUB_URL ?? 'http://localhost:8080';
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(process.cwd(), '..', 'target', 'screenshots');
const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling Google's hosts, which a closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

mkdirSync(SCREENSHOTS, { recursive: true });

/**
 * A headless Chromium. Playwright starts it with a new, empty --user-data-dir of its own and deletes it
 * on close; each user of a test gets an isolated context (own cookies and storage).
 */
export async function startBrowser() {
  const browser = await chromium.launch({ executablePath: EXECUTABLE, headless: true, args: CHROMIUM_ARGS });
  return {
    async newUser(name, options = {}) {
      const context = await browser.newContext({
        baseURL: BASE_URL,
        viewport: { width: 1280, height: 860 },
        locale: 'ko-KR',
        timezoneId: 'Asia/Seoul',
        ...options,
      });
      const page = await context.newPage();
      return watch(page, name);
    },
    close: () => browser.close(),
  };
}

/** Collects uncaught page errors and Content-Security-Policy violations, which the tests assert are absent. */
function watch(page, name) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`${name}: ${message.text()}`);
    }
  });
  page.setDefaultTimeout(30_000);
  return { page, name, problems };
}

/** Saves full-page screenshots as <prefix>-NN-<name>.png under target/screenshots, numbered in order taken. */
export function screenshotter(prefix) {
  let shot = 0;
  return async (page, name) => {
    shot++;
    const file = join(SCREENSHOTS, `${prefix}-${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

/**
 * Calls the API directly (for what a browser user cannot do: the admin's stats job run, a store's server with its API
 * key). Answers the JSON body, or throws with the status unless `raw`, which answers `{status, json}`.
 */
export async function apiCall(method, path, { token, apiKey, body, raw = false } = {}) {
  const response = await fetch(BASE_URL + path, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(apiKey ? { 'X-Api-Key': apiKey } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (raw) {
    return { status: response.status, json };
  }
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${text}`);
  }
  return json;
}

export async function login(email, password) {
  const tokens = await apiCall('POST', '/api/v1/auth/login', { body: { email, password } });
  return tokens.accessToken;
}

/**
 * Waits until `check` answers a truthy value, calling `step` (which itself waits for a response) between
 * tries; gives up after `attempts` tries.
 */
export async function eventually(check, step, { attempts = 30, what = 'condition' } = {}) {
  let last;
  for (let i = 0; i < attempts; i++) {
    last = await check();
    if (last) {
      return last;
    }
    await step(i);
  }
  throw new Error(`gave up waiting for ${what} (last: ${JSON.stringify(last)})`);
}
