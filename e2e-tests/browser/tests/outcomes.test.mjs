// What a shopper sees when things do not go their way: a wrong password, and a coupon that sells out between
// opening its page and pressing Claim. Meanwhile the page's stock follows the claims of others by itself. Then the
// store's counter: a discount checked before redeeming, and a counter redemption only the store can undo. Last, the
// owner adds a unit to the sold-out coupon and the shopper who missed it claims it, then lists who claimed it and
// downloads them all as CSV, and makes an API key that the store's server uses until the owner deletes it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { apiCall, login, screenshotter, startBrowser } from '../lib/harness.mjs';

const screenshot = screenshotter('outcomes');

const RUN = `${Date.now().toString(36)}o`;
const PASSWORD = 'correct-horse-42';

async function account(role, name) {
  const email = `${name}-${RUN}@example.com`;
  await apiCall('POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name, role } });
  return { email, token: await login(email, PASSWORD) };
}

let browser;
let shopper;
const data = {};

describe('claim outcomes', { concurrency: false }, () => {
  before(async () => {
    // set-up through the API: an owner's store with a coupon of two, and three shoppers
    const owner = await account('OWNER', 'owner');
    data.owner = owner;
    const store = await apiCall('POST', '/api/v1/stores', {
      token: owner.token,
      body: { name: `떡볶이 Tteok ${RUN}`, category: 'FOOD', address: '부산 해운대구 1' },
    });
    data.store = store;
    const now = Date.now();
    data.coupon = await apiCall('POST', '/api/v1/coupons', {
      token: owner.token,
      body: {
        storeId: store.id,
        name: `마지막 한 장 Last one ${RUN}`,
        discountType: 'PERCENT',
        discountValue: 10,
        maxDiscountAmount: 3000,
        totalQuantity: 2,
        issueStartsAt: new Date(now - 60_000).toISOString(),
        issueEndsAt: new Date(now + 86_400_000).toISOString(),
        validDaysAfterIssue: 7,
      },
    });
    data.first = await account('SHOPPER', 'first');
    data.second = await account('SHOPPER', 'second');
    data.late = await account('SHOPPER', 'late');
    browser = await startBrowser();
    shopper = await browser.newUser('late-shopper');
  });

  after(async () => {
    await browser?.close();
  });

  test('a wrong password shows the API problem detail', async () => {
    const { page } = shopper;
    await page.goto('/login');
    await page.getByLabel('Email').fill(data.late.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.ok((await alert.textContent()).trim().length > 0);
    await screenshot(page, 'login-bad-credentials');
  });

  test('the stock follows the claims of others live, and a coupon sold out meanwhile says so', async () => {
    const { page } = shopper;
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Coupons' }).waitFor();

    // the live stock stream: another shopper's claim shows without reloading or polling
    await page.goto(`/coupons/${data.coupon.id}`);
    await page.getByText('2 of 2 left').waitFor();
    await page.getByText('10% off (up to 3,000원)').waitFor();
    await apiCall('POST', `/api/v1/coupons/${data.coupon.id}/claim`, { token: data.first.token });
    await page.getByText('1 of 2 left').waitFor();
    await screenshot(page, 'shopper-live-stock');

    // a stream that says nothing more (a quiet connection): the last unit goes to someone else unseen, and the
    // claim itself tells this shopper
    await page.route(/\/stock\/stream$/, (route) =>
      route.fulfill({ status: 200, contentType: 'text/event-stream', body: 'retry: 600000\n\n' }),
    );
    await page.reload();
    await page.getByText('1 of 2 left').waitFor();
    await apiCall('POST', `/api/v1/coupons/${data.coupon.id}/claim`, { token: data.second.token });
    await page.getByRole('button', { name: 'Claim this coupon' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sold out: every coupon has been claimed.' }).waitFor();
    await page.getByText('0 of 2 left').waitFor();
    await page.getByRole('button', { name: 'Not claimable now' }).waitFor();
    await screenshot(page, 'shopper-sold-out');
    assert.deepEqual(shopper.problems, []);
  });

  test('at the counter: a discount checked first, a redemption, and its undo by the store alone', async () => {
    const counter = await browser.newUser('counter-owner');
    const { page } = counter;
    const [unit] = (await apiCall('GET', '/api/v1/issued-coupons', { token: data.first.token })).content;
    const holderStatus = async () =>
      (await apiCall('GET', `/api/v1/issued-coupons/${unit.id}`, { token: data.first.token })).status;
    await page.goto('/login');
    await page.getByLabel('Email').fill(data.owner.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('link', { name: 'Counter', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Redeem at the counter' }).waitFor();

    await page.getByLabel('Coupon code').fill(unit.code);
    await page.getByLabel('Order amount (won)').fill('50000');
    await page.getByRole('button', { name: 'Check discount' }).click();
    await page.getByTestId('redemption-preview').filter({ hasText: '3,000원 off: 47,000원 to pay' }).waitFor();
    await screenshot(page, 'owner-counter-preview');
    assert.equal(await holderStatus(), 'ISSUED', 'a check redeems nothing');

    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    await page.getByTestId('redemption').filter({ hasText: '47,000원 to pay' }).waitFor();
    const redeemed = await apiCall('GET', `/api/v1/issued-coupons/${unit.id}`, { token: data.first.token });
    assert.equal(redeemed.status, 'REDEEMED');
    // the holder cannot undo the store's redemption and show the code again
    await assert.rejects(
      apiCall('POST', `/api/v1/issued-coupons/${unit.id}/cancel-redemption`, {
        token: data.first.token,
        body: { orderId: redeemed.orderId },
      }),
      /403 .*NOT_REDEEMER/,
    );

    await page.getByRole('button', { name: 'Undo this redemption' }).click();
    await page.getByTestId('redemption-undone').waitFor();
    await screenshot(page, 'owner-counter-undone');
    assert.equal(await holderStatus(), 'ISSUED');
    assert.deepEqual(counter.problems, []);
  });

  test('the owner adds one unit to the sold-out coupon, and the shopper who missed it claims it', async () => {
    const owner = await browser.newUser('stock-owner');
    const { page } = owner;
    await page.goto('/login');
    await page.getByLabel('Email').fill(data.owner.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('link', { name: 'My stores', exact: true }).click();
    await page.getByRole('button', { name: `Change ${data.coupon.name}` }).click();
    const form = page.getByRole('form', { name: `Change ${data.coupon.name}` });

    // below what is claimed: the form says why and sends nothing
    await form.getByLabel('Total quantity').fill('1');
    await form.getByRole('button', { name: 'Save coupon' }).click();
    await form.getByText('must be at least 2: that many are already claimed').waitFor();
    await screenshot(page, 'owner-coupon-stock-too-low');

    await form.getByLabel('Total quantity').fill('3');
    await form.getByRole('button', { name: 'Save coupon' }).click();
    await page.getByText(`Saved ${data.coupon.name}: 1 of 3 left.`).waitFor();
    await page.getByRole('cell', { name: '2 / 3' }).waitFor();
    await screenshot(page, 'owner-coupon-stock-raised');
    assert.deepEqual(owner.problems, []);

    // the shopper's page, sold out a moment ago, offers the new unit, and the claim gets it
    const { page: shopperPage } = shopper;
    await shopperPage.unroute(/\/stock\/stream$/);
    await shopperPage.reload();
    await shopperPage.getByText('1 of 3 left').waitFor();
    await shopperPage.getByRole('button', { name: 'Claim this coupon' }).click();
    await shopperPage.getByText('0 of 3 left').waitFor();
    const mine = await apiCall('GET', '/api/v1/issued-coupons', { token: data.late.token });
    assert.equal(mine.content.length, 1);
    assert.equal(mine.content[0].couponId, data.coupon.id);
    await screenshot(shopperPage, 'shopper-claims-added-unit');
    assert.deepEqual(shopper.problems, []);
    data.stockOwner = owner;
  });

  test('the owner lists who claimed the coupon and downloads them all as CSV', async () => {
    const { page } = data.stockOwner;
    const claimed = [data.first, data.second, data.late];
    const codes = [];
    for (const { token } of claimed) {
      codes.push((await apiCall('GET', '/api/v1/issued-coupons', { token })).content[0].code);
    }
    await page.goto('/owner/stores');
    await page.getByRole('link', { name: `claimed coupons of ${data.coupon.name}` }).click();
    await page.getByRole('heading', { level: 1, name: `Claimed: ${data.coupon.name}` }).waitFor();
    const rows = page.getByRole('table').getByRole('row');
    await rows.nth(3).waitFor();
    assert.equal(await rows.count(), 4, 'a header row and the three claims');
    // newest first: the late shopper's unit, claimed last
    assert.match(await rows.nth(1).textContent(), new RegExp(codes[2].replace(/(.{4})(?=.)/g, '$1 ')));
    await page.getByLabel('Show').selectOption('REDEEMED');
    await page.getByText('Nothing claimed with this status yet.').waitFor();
    await page.getByLabel('Show').selectOption('');
    await rows.nth(3).waitFor();
    await screenshot(page, 'owner-claimed-list');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all as CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `coupon-${data.coupon.id}-issued-coupons.csv`);
    const csv = (await readFile(await download.path(), 'utf8')).split('\r\n');
    assert.equal(csv[0], 'id,code,userId,status,issuedAt,expiresAt,redeemedAt,orderId,discountAmount');
    assert.equal(csv.length, 5, 'the header, three rows and the last line end');
    assert.deepEqual(csv.slice(1, 4).map((row) => row.split(',')[1]), codes, 'in the order of the claims');
    assert.equal(csv[4], '');
    assert.deepEqual(data.stockOwner.problems, []);
  });

  test("the owner makes an API key; the store's server lists the claimed units with it until the key is deleted", async () => {
    const { page } = data.stockOwner;
    await page.goto('/owner/stores');
    await page.getByRole('link', { name: `API keys of ${data.store.name}` }).click();
    await page.getByRole('heading', { level: 1, name: `API keys: ${data.store.name}` }).waitFor();
    await page.getByText('No key yet.').waitFor();
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByRole('button', { name: 'Create key' }).click();
    await form.getByText('Give the key a name').waitFor();
    await form.getByLabel('Key name').fill('Till 1');
    await form.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByLabel('The new key').textContent()).trim();
    assert.match(key, /^chk_[A-Za-z0-9_-]{40}$/);
    await page.getByRole('cell', { name: 'never' }).waitFor();
    await screenshot(page, 'owner-api-key-created');

    // the store's server, with the key instead of a token
    const path = `/api/v1/coupons/${data.coupon.id}/issued-coupons`;
    const units = await apiCall('GET', path, { apiKey: key });
    assert.equal(units.totalElements, 3);
    assert.equal((await apiCall('GET', '/api/v1/users/me', { apiKey: key, raw: true })).status, 403);
    await page.reload();
    await page.getByRole('cell', { name: 'Till 1', exact: true }).waitFor();
    assert.equal(await page.getByRole('cell', { name: 'never' }).count(), 0, 'the key was used');
    assert.equal(await page.getByLabel('The new key').count(), 0, 'the key is shown once');

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Delete the key Till 1' }).click();
    await page.getByText('Deleted the key Till 1.').waitFor();
    await page.getByText('No key yet.').waitFor();
    const deletedAt = Date.now();
    let status = 0;
    while (Date.now() - deletedAt < 5000) {
      status = (await apiCall('GET', path, { apiKey: key, raw: true })).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(status, 401, 'the deleted key refused within 5 s');
    assert.deepEqual(data.stockOwner.problems, []);
  });

  test('a coupon of two per shopper but one a day: the second claim of the day is refused and says why', async () => {
    const store = (await apiCall('GET', '/api/v1/stores/mine', { token: data.owner.token })).content[0];
    const now = Date.now();
    const coupon = await apiCall('POST', '/api/v1/coupons', {
      token: data.owner.token,
      body: {
        storeId: store.id,
        name: `하루 한 장 One a day ${RUN}`,
        discountType: 'FIXED',
        discountValue: 500,
        totalQuantity: 10,
        perUserLimit: 2,
        perUserDailyLimit: 1,
        issueStartsAt: new Date(now - 60_000).toISOString(),
        issueEndsAt: new Date(now + 86_400_000).toISOString(),
        validDaysAfterIssue: 7,
      },
    });
    const { page } = shopper;
    await page.goto(`/coupons/${coupon.id}`);
    await page.getByText('2, at most 1 a day').waitFor();
    await page.getByRole('button', { name: 'Claim this coupon' }).click();
    await page.getByText('9 of 10 left').waitFor();
    await page.reload(); // after a claim the page shows the code; a second claim starts from the page again
    await page.getByRole('button', { name: 'Claim this coupon' }).click();
    await page.getByRole('alert').filter({ hasText: 'as many times as allowed today. Try again tomorrow.' }).waitFor();
    await screenshot(page, 'shopper-daily-limit');
    const mine = (await apiCall('GET', '/api/v1/issued-coupons', { token: data.late.token })).content;
    assert.equal(mine.filter((unit) => unit.couponId === coupon.id).length, 1);
  });
});
