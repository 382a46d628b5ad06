import { useState } from 'react';
import { api } from '../api/endpoints';
import { addDays, formatCount, formatWon, isoDate } from '../app/format';
import { Link, usePageTitle } from '../app/router';
import { METRICS, overviewSeries } from '../app/stats';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading } from '../components/ui';
import { DayChart } from '../owner/StatsPage';

const RANGES = [7, 30, 90, 366];

/** The admin's view of every store: totals and charts per day, and the ten leading stores and coupons. */
export function OverviewPage() {
  usePageTitle('Overview');
  const today = isoDate(new Date());
  const [days, setDays] = useState(30);
  const from = addDays(today, -(days - 1));
  const overview = useAsync(() => api.overview(from, today), [from, today]);
  const series = overview.data ? overviewSeries(overview.data) : null;
  const totals = overview.data?.totals;
  return (
    <>
      <h1 tabIndex={-1}>Overview</h1>
      <p className="muted">Every store, counted per calendar day in Seoul time; figures are recomputed every few minutes.</p>
      <div className="presets" role="group" aria-label="Range">
        {RANGES.map((d) => (
          <button key={d} type="button" className={d === days ? 'button-small' : 'button-secondary button-small'} aria-pressed={d === days} onClick={() => setDays(d)}>
            Last {d} days
          </button>
        ))}
      </div>
      <ErrorMessage error={overview.error} />
      {overview.loading && !overview.data && <Loading />}
      {totals && (
        <dl className="totals" data-testid="overview-totals">
          {(
            [
              ['Issued', formatCount(totals.issued)],
              ['Redeemed', formatCount(totals.redeemed)],
              ['Cancelled', formatCount(totals.cancelled)],
              ['Expired', formatCount(totals.expired)],
              ['Discount given', formatWon(totals.discountTotal)],
            ] as const
          ).map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {series && (
        <div className="charts" aria-busy={overview.loading}>
          {METRICS.map((m) => (
            <DayChart key={m.key} series={series} metric={m.key} label={m.label} color={m.color} />
          ))}
        </div>
      )}
      {overview.data && (
        <>
          <h2>Top stores</h2>
          {overview.data.topStores.length === 0 ? (
            <p className="empty">No store had any activity in this range.</p>
          ) : (
            <table className="table">
              <caption className="visually-hidden">The ten stores with the most coupons issued</caption>
              <thead>
                <tr>
                  <th scope="col">Store</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Redeemed</th>
                  <th scope="col">Discount given</th>
                </tr>
              </thead>
              <tbody>
                {overview.data.topStores.map((s) => (
                  <tr key={s.storeId}>
                    <td>{s.storeName ? <Link href={`/stores/${s.storeId}`}>{s.storeName}</Link> : `Store #${s.storeId} (deleted)`}</td>
                    <td>{formatCount(s.issued)}</td>
                    <td>{formatCount(s.redeemed)}</td>
                    <td>{formatWon(s.discountTotal)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Top coupons</h2>
          {overview.data.topCoupons.length === 0 ? (
            <p className="empty">No coupon had any activity in this range.</p>
          ) : (
            <table className="table">
              <caption className="visually-hidden">The ten coupons with the most issued</caption>
              <thead>
                <tr>
                  <th scope="col">Coupon</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Redeemed</th>
                </tr>
              </thead>
              <tbody>
                {overview.data.topCoupons.map((c) => (
                  <tr key={c.couponId}>
                    <td>
                      <Link href={`/coupons/${c.couponId}`}>{c.name}</Link>
                    </td>
                    <td>{formatCount(c.issued)}</td>
                    <td>{formatCount(c.redeemed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
