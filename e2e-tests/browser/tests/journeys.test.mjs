// A store owner and a shopper, each in their own browser context, use Couponhub by clicking only:
// publish -> the follower's bell lights up -> claim -> redeem at the counter -> the stats chart shows it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiCall, eventually, login, screenshotter, startBrowser } from '../lib/harness.mjs';

const screenshot = screenshotter('journey');

const RUN = Date.now().toString(36);
const PASSWORD = 'correct-horse-42';
const OWNER = { name: '준 Jun', email: `jun-${RUN}@example.com` };
const SHOPPER = { name: '미나 Mina', email: `mina-${RUN}@example.com` };
const STORE_NAME = `준커피 Jun Coffee ${RUN}`;
const COUPON_NAME = `아메리카노 2,000원 할인 ${RUN}`;
const ORDER_AMOUNT = 10000;

let browser;
let owner;
let shopper;
const state = {};
let failed = false;

/** Runs one step of the journey; after a failure, later steps are skipped and both pages photographed. */
function step(name, body) {
  test(name, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await body();
    } catch (error) {
      failed = true;
      for (const user of [owner, shopper]) {
        if (user) {
          await screenshot(user.page, `FAILED-${user.name}`).catch(() => undefined);
        }
      }
      throw error;
    }
  });
}

async function signUp({ page }, { name, email }, role) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign up', exact: true }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('I am a').selectOption(role);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

describe('shopper and owner journey', { concurrency: false }, () => {
  before(async () => {
    browser = await startBrowser();
    owner = await browser.newUser('owner');
    shopper = await browser.newUser('shopper');
  });

  after(async () => {
    await browser?.close();
  });

  step('the app loads at / with its Korean font', async () => {
    const { page } = shopper;
    const fontResponse = page.waitForResponse((r) => /noto-sans-kr-.*\.woff2$/.test(r.url()) && r.status() === 200);
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Coupons' }).waitFor();
    await fontResponse;
    await page.getByText(/^\d+ coupons?$/).or(page.getByText('No coupons match.', { exact: false })).waitFor();
    const loadedKoreanFaces = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.family.includes('Noto Sans KR') && f.status === 'loaded').length;
    });
    assert.ok(loadedKoreanFaces > 0, 'the bundled Noto Sans KR renders the Korean text');
    await screenshot(page, 'home-anonymous');
  });

  step('an owner signs up and lands on their stores', async () => {
    await signUp(owner, OWNER, 'OWNER');
    await owner.page.getByRole('heading', { level: 1, name: 'My stores' }).waitFor();
  });

  step('the owner creates a store', async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'New store' }).click();
    await page.getByRole('button', { name: 'Create store' }).click();
    await page.getByText('must not be blank').first().waitFor();
    await page.getByLabel('Store name').fill(STORE_NAME);
    await page.getByLabel('Category').selectOption('CAFE');
    await page.getByLabel('Address').fill('서울 강남구 강남대로 1');
    await page.getByLabel('Description (optional)').fill('갓 볶은 원두 Freshly roasted beans');
    await page.getByRole('button', { name: 'Create store' }).click();
    await page.getByRole('status').filter({ hasText: `Created ${STORE_NAME}` }).waitFor();
    const publish = page.getByRole('link', { name: `Publish a coupon for ${STORE_NAME}` });
    state.storeId = Number(new URL(await publish.getAttribute('href'), 'http://x').searchParams.get('storeId'));
    assert.ok(state.storeId > 0);
    await screenshot(page, 'owner-stores');
  });

  step('a shopper signs up, finds the store and follows it', async () => {
    const { page } = shopper;
    await signUp(shopper, SHOPPER, 'SHOPPER');
    await page.getByRole('heading', { level: 1, name: 'Coupons' }).waitFor();
    await page.getByRole('link', { name: 'Stores', exact: true }).click();
    await page.getByLabel('Store name').fill(RUN);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('link', { name: STORE_NAME }).click();
    await page.getByRole('heading', { level: 1, name: STORE_NAME }).waitFor();
    await page.getByRole('button', { name: `Follow ${STORE_NAME}` }).click();
    await page.getByRole('button', { name: `Following ${STORE_NAME}`, pressed: true }).waitFor();
    // the bell is connected to the alert stream before anything is published
    await page.locator('.bell-button[data-stream="open"]').waitFor();
    assert.equal(await page.locator('.bell-button').getAttribute('aria-label'), 'Alerts, none unread');
    await screenshot(page, 'shopper-follows-store');
  });

  step('the publish form checks its fields like the API', async () => {
    const { page } = owner;
    await page.getByRole('link', { name: `Publish a coupon for ${STORE_NAME}` }).click();
    await page.getByRole('heading', { level: 1, name: 'Publish a coupon' }).waitFor();
    await page.getByLabel('Coupon name').fill(COUPON_NAME);
    await page.getByLabel('Type').selectOption('PERCENT');
    await page.getByLabel('Discount (%)').fill('150');
    await page.getByRole('button', { name: 'Publish coupon' }).click();
    await page.getByText('must be between 1 and 100 for PERCENT').waitFor();
    assert.equal(await page.getByLabel('Discount (%)').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'publish-validation');
  });

  step('the owner publishes a coupon', async () => {
    const { page } = owner;
    await page.getByLabel('Type').selectOption('FIXED');
    await page.getByLabel('Discount (won)').fill('2000');
    await page.getByLabel('Total coupons').fill('5');
    await page.getByRole('button', { name: 'Publish coupon' }).click();
    await page.getByRole('heading', { level: 1, name: COUPON_NAME }).waitFor();
    state.couponId = Number(page.url().match(/\/coupons\/(\d+)/)[1]);
    await page.getByText('5 of 5 left').waitFor();
    await screenshot(page, 'owner-published-coupon');
  });

  step("the follower's bell lights up with the alert", async () => {
    const { page } = shopper;
    const bell = page.locator('.bell-button.bell-lit');
    await bell.waitFor();
    assert.equal(await bell.getAttribute('aria-label'), 'Alerts, 1 unread');
    await bell.click();
    const alert = page.locator('#alert-panel li.unread');
    await alert.waitFor();
    await screenshot(page, 'shopper-bell-lit');
    await alert.getByRole('button').click();
    await page.getByRole('heading', { level: 1, name: COUPON_NAME }).waitFor();
  });

  step('the shopper claims the coupon and sees its code; the stock goes down', async () => {
    const { page } = shopper;
    await page.getByText('5 of 5 left').waitFor();
    await page.getByRole('button', { name: 'Claim this coupon' }).click();
    const claimed = page.getByRole('status').filter({ hasText: 'Claimed!' });
    await claimed.waitFor();
    state.code = (await claimed.locator('.code').textContent()).replace(/\s/g, '');
    assert.match(state.code, /^[A-Z0-9]{8,}$/);
    await page.getByText('4 of 5 left').waitFor();
    await screenshot(page, 'shopper-claimed');
  });

  step('claiming again says the limit is reached', async () => {
    const { page } = shopper;
    await page.reload();
    await page.getByRole('button', { name: 'Claim this coupon' }).click();
    await page.getByRole('alert').filter({ hasText: 'You already claimed this coupon' }).waitFor();
    await screenshot(page, 'shopper-claim-limit');
  });

  step('my coupons shows the code large, also on a phone, and survives a reload', async () => {
    const { page } = shopper;
    await page.getByRole('link', { name: 'My coupons', exact: true }).click();
    const code = page.getByTestId('issued-code').first();
    await code.waitFor();
    assert.equal((await code.textContent()).replace(/\s/g, ''), state.code);
    const fontSize = await code.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(fontSize >= 28, `the code is large (${fontSize}px)`);
    await screenshot(page, 'shopper-my-coupons');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload(); // a reload keeps the session: the app refreshes its access token
    await code.waitFor();
    await page.getByRole('button', { name: 'Menu' }).waitFor();
    await screenshot(page, 'shopper-my-coupons-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  step('the owner redeems the code at the counter', async () => {
    const { page } = owner;
    await page.getByRole('link', { name: 'Counter', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Redeem at the counter' }).waitFor();
    await page.getByLabel('Coupon code').fill(state.code.toLowerCase().replace(/(.{4})/g, '$1 '));
    await page.getByLabel('Order amount (won)').fill(String(ORDER_AMOUNT));
    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    const done = page.getByTestId('redemption');
    await done.waitFor();
    assert.match(await done.textContent(), /8,000원 to pay/);
    await screenshot(page, 'owner-counter-redeemed');
    // the same code again, for another order: the API's detail is shown
    await page.getByLabel('Coupon code').fill(state.code);
    await page.getByLabel('Order amount (won)').fill(String(ORDER_AMOUNT));
    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'already used' }).waitFor();
  });

  step("the shopper's coupon moves to Used", async () => {
    const { page } = shopper;
    await page.getByRole('link', { name: 'My coupons', exact: true }).click();
    await page.getByRole('tab', { name: 'Used' }).click();
    await page.getByText('Saved 2,000원').waitFor();
    await screenshot(page, 'shopper-used');
  });

  step('the statistics chart shows the claim and the redemption', async () => {
    // the devstack admin recomputes today's statistics until the ledger has both events
    const admin = await login('admin@couponhub.local', 'admin-password');
    const ownerToken = await login(OWNER.email, PASSWORD);
    const figures = async () => {
      const stats = await apiCall('GET', `/api/v1/stats/stores/${state.storeId}/coupons`, { token: ownerToken });
      const coupon = stats.coupons.find((c) => c.couponId === state.couponId);
      return coupon && coupon.totals.issued >= 1 && coupon.totals.redeemed >= 1 ? coupon.totals : null;
    };
    const runJob = async () => {
      const run = await apiCall('POST', '/api/v1/batch/jobs/coupon-usage-stats/runs', { token: admin, body: {} });
      await eventually(
        async () => {
          const r = await apiCall('GET', `/api/v1/batch/jobs/coupon-usage-stats/runs/${run.runId}`, { token: admin });
          return ['COMPLETED', 'FAILED'].includes(r.status) ? r : null;
        },
        () => new Promise((resolve) => setTimeout(resolve, 250)),
        { attempts: 240, what: 'the stats job run' },
      );
    };
    await eventually(figures, runJob, { attempts: 40, what: 'statistics with the claim and the redemption' });

    const { page } = owner;
    await page.getByRole('link', { name: 'Statistics', exact: true }).click();
    await page.locator('figure[data-metric="issued"][data-total="1"]').waitFor();
    await page.locator('figure[data-metric="redeemed"][data-total="1"]').waitFor();
    await page.locator('figure[data-metric="discountTotal"][data-total="2000"]').waitFor();
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.locator('figure[data-metric="issued"][data-total="1"]').waitFor();
    await screenshot(page, 'owner-stats');
  });

  step("the admin's overview counts them among every store's", async () => {
    const admin = await browser.newUser('admin');
    const { page } = admin;
    await page.goto('/login');
    await page.getByLabel('Email').fill('admin@couponhub.local');
    await page.getByLabel('Password').fill('admin-password');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // the same job's figures, every store together: at least this journey's claim, redemption and discount
    for (const metric of ['issued', 'redeemed', 'discountTotal']) {
      const figure = page.locator(`figure[data-metric="${metric}"]`);
      await figure.waitFor();
      const total = Number(await figure.getAttribute('data-total'));
      assert.ok(total >= (metric === 'discountTotal' ? 2000 : 1), `${metric} ${total}`);
    }
    const stores = page.getByRole('table').first().getByRole('row');
    await stores.nth(1).waitFor();
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.locator('figure[data-metric="issued"]').waitFor();
    await screenshot(page, 'admin-overview');
    assert.deepEqual(admin.problems, []);
  });

  step('full-text search finds the coupon by its Korean name', async () => {
    const { page } = shopper;
    const query = `아메리카노 ${RUN}`;
    await page.getByRole('link', { name: 'Coupons', exact: true }).click();
    await page.getByRole('list', { name: 'Coupons' }).waitFor();
    await screenshot(page, 'shopper-home');
    let answered = page.waitForResponse((r) => r.url().includes('/api/v1/coupons/search'));
    await page.getByLabel('Search coupons and stores').fill(query);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await answered;
    // the search index follows coupon events: until it has the new coupon, search again
    const found = page.getByRole('list', { name: 'Coupons' }).getByRole('link', { name: COUPON_NAME });
    await eventually(
      () => found.waitFor({ timeout: 2000 }).then(() => true, () => false),
      async () => {
        answered = page.waitForResponse((r) => r.url().includes('/api/v1/coupons/search'));
        await page.reload();
        await answered;
      },
      { what: 'the coupon in the search results' },
    );
    await screenshot(page, 'shopper-search');
  });

  step('the inbox lists the alerts and marks them read', async () => {
    const { page } = shopper;
    await page.getByRole('link', { name: 'Inbox', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await page.locator('.list-row').first().waitFor();
    await screenshot(page, 'shopper-inbox');
    const markAll = page.getByRole('button', { name: 'Mark all read' });
    if (await markAll.isEnabled()) {
      await markAll.click();
    }
    await page.locator('.bell-button[aria-label="Alerts, none unread"]').waitFor();
  });

  step('a coupon published to open a little later alerts the follower again when it opens', async () => {
    const { page } = shopper;
    const token = await login(OWNER.email, PASSWORD);
    const opens = new Date(Date.now() + 4000);
    const name = `오픈 예정 라떼 ${RUN}`;
    state.later = await apiCall('POST', '/api/v1/coupons', {
      token,
      body: {
        storeId: state.storeId,
        name,
        discountType: 'FIXED',
        discountValue: 1000,
        totalQuantity: 10,
        issueStartsAt: opens.toISOString(),
        issueEndsAt: new Date(Date.now() + 86_400_000).toISOString(),
        validDaysAfterIssue: 7,
      },
    });
    // once its window opened (the opening job looks every 10 s), COUPON_OPENED reaches the bell live
    await page.locator('.bell-button.bell-lit').waitFor();
    await page.locator('.bell-button').click();
    await page.locator('#alert-panel li.unread').filter({ hasText: '지금 받을 수 있어요' }).waitFor({ timeout: 45_000 });
    await screenshot(page, 'shopper-bell-opened');
    await page.keyboard.press('Escape');
  });

  step('the owner gives the shopper the coupon that opened, by shopper number; it reaches the bell (COUPON_GRANTED)', async () => {
    const { page } = shopper;
    await page.getByRole('link', { name: 'My coupons', exact: true }).click();
    const number = (await page.getByText('Your shopper number is').locator('strong').textContent()).trim();
    const token = await login(SHOPPER.email, PASSWORD);
    assert.equal(number, `#${(await apiCall('GET', '/api/v1/users/me', { token })).id}`);

    const { page: ownerPage } = owner;
    await ownerPage.goto(`/owner/coupons/${state.later.id}/issued`);
    const form = ownerPage.getByRole('form', { name: 'Give this coupon to shoppers' });
    await form.getByLabel('Shopper numbers').fill(`${number}, ${number}\n987654321987`);
    await form.getByRole('button', { name: 'Give coupons' }).click();
    await form.getByText('Given to 1 shopper, not to 1.').waitFor();
    await form.getByRole('list', { name: 'Not given' }).getByText('#987654321987: no such shopper').waitFor();
    await ownerPage.getByRole('table').getByRole('row').nth(1).waitFor();
    await screenshot(ownerPage, 'owner-grant');
    // the same text again (a double click, a retry) gives nothing twice
    await form.getByRole('button', { name: 'Give coupons' }).click();
    await form.getByText('Given to 1 shopper, not to 1.').waitFor();
    const held = (await apiCall('GET', '/api/v1/issued-coupons', { token })).content;
    assert.equal(held.filter((unit) => unit.couponId === state.later.id).length, 1);

    await page.locator('.bell-button.bell-lit').waitFor();
    await page.locator('.bell-button').click();
    await page.locator('#alert-panel li.unread').filter({ hasText: `${state.later.name} 쿠폰을 보냈어요` }).waitFor();
    await screenshot(page, 'shopper-bell-granted');
    await page.keyboard.press('Escape');
  });

  step('the owner ends the coupon and it can no longer be claimed', async () => {
    const { page } = owner;
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('link', { name: 'My stores', exact: true }).click();
    await page.getByRole('button', { name: `End ${COUPON_NAME}` }).click();
    await page.getByRole('table', { name: `Coupons of ${STORE_NAME}` }).getByText('Ended').waitFor();
    await screenshot(page, 'owner-ended-coupon');

    await shopper.page.goto(`/coupons/${state.couponId}`);
    await shopper.page.getByRole('button', { name: 'Not claimable now' }).waitFor();
  });

  step('the shopper unfollows the store and logs out', async () => {
    const { page } = shopper;
    await page.getByRole('link', { name: 'Following', exact: true }).click();
    await page.getByRole('button', { name: `Unfollow ${STORE_NAME}` }).click();
    await page.getByText('You follow no store yet.').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Log in', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('couponhub.refreshToken')), null);
  });

  step('no page error and no Content-Security-Policy violation', async () => {
    assert.deepEqual([...owner.problems, ...shopper.problems], []);
  });
});
