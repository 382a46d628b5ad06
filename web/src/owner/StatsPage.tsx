import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { addDays, formatCount, formatWon, isoDate } from '../app/format';
import { usePageTitle } from '../app/router';
import { daySeries, METRICS, niceMax, type DaySeries, type Metric } from '../app/stats';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading, SelectField, TextField } from '../components/ui';

const WIDTH = 360;
const HEIGHT = 190;
const PAD = { left: 44, right: 6, top: 10, bottom: 24 };

/** One metric per day as bars, with a y axis and a few date labels; the numbers are also in a table. */
export function DayChart({ series, metric, label, color }: { series: DaySeries; metric: Metric; label: string; color: string }) {
  const values = series.values[metric];
  const max = niceMax(Math.max(0, ...values));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const step = innerW / Math.max(1, values.length);
  const barW = Math.max(1, step * 0.7);
  const labelEvery = Math.max(1, Math.ceil(values.length / 4));
  const total = series.totals[metric];
  const fmt = metric === 'discountTotal' ? formatWon : formatCount;
  const titleId = `chart-${metric}`;
  return (
    <figure className="chart" data-metric={metric} data-total={total}>
      <figcaption id={titleId}>
        <strong>{label}</strong> <span className="chart-total">{fmt(total)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
        <title>{`${label} per day, ${series.dates[0]} to ${series.dates[series.dates.length - 1]}: total ${fmt(total)}`}</title>
        {[0, 0.5, 1].map((f) => {
          const y = PAD.top + innerH * (1 - f);
          const tick = max * f;
          return (
            <g key={f}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} className="grid" />
              {Number.isInteger(tick) && (
                <text x={PAD.left - 6} y={y + 4} textAnchor="end" className="axis">
                  {formatCount(tick)}
                </text>
              )}
            </g>
          );
        })}
        {values.map((v, i) => {
          const h = (v / max) * innerH;
          const x = PAD.left + i * step + (step - barW) / 2;
          return (
            <rect key={series.dates[i]} x={x} y={PAD.top + innerH - h} width={barW} height={h} fill={color}>
              <title>{`${series.dates[i]}: ${fmt(v)}`}</title>
            </rect>
          );
        })}
        {series.dates.map((d, i) =>
          i % labelEvery === 0 ? (
            <text key={d} x={PAD.left + i * step + step / 2} y={HEIGHT - 8} textAnchor="middle" className="axis">
              {d.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
    </figure>
  );
}

/** Usage statistics of a store for a chosen range: issued, redeemed, cancelled, expired, discount per day. */
export function StatsPage() {
  usePageTitle('Statistics');
  const stores = useAsync(() => api.myStores(), []);
  const today = isoDate(new Date());
  const [range, setRange] = useState({ from: addDays(today, -29), to: today });
  const [draft, setDraft] = useState(range);
  const [storeChoice, setStoreChoice] = useState('');
  const [coupon, setCoupon] = useState('');
  const storeId = storeChoice || (stores.data?.content[0] ? String(stores.data.content[0].id) : '');

  const stats = useAsync(
    () => (storeId ? api.stats(Number(storeId), range.from, range.to) : Promise.resolve(undefined)),
    [storeId, range.from, range.to],
  );
  const [rangeError, setRangeError] = useState<string | null>(null);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.from || !draft.to || draft.from > draft.to) {
      setRangeError('Choose a start date on or before the end date.');
      return;
    }
    setRangeError(null);
    setRange(draft);
  };
  const preset = (days: number) => {
    const next = { from: addDays(today, -(days - 1)), to: today };
    setDraft(next);
    setRange(next);
  };

  if (stores.loading && !stores.data) {
    return <Loading />;
  }
  const series = stats.data ? daySeries(stats.data, coupon ? Number(coupon) : null) : null;
  return (
    <>
      <h1 tabIndex={-1}>Statistics</h1>
      <p className="muted">Counted per calendar day in Seoul time; figures are recomputed every few minutes.</p>
      <ErrorMessage error={stores.error} />
      {stores.data && stores.data.content.length === 0 && <p className="empty">You have no store yet.</p>}
      <form className="filters" onSubmit={apply} noValidate>
        <SelectField label="Store" value={storeId} onChange={(e) => { setStoreChoice(e.target.value); setCoupon(''); }}>
          {stores.data?.content.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Coupon" value={coupon} onChange={(e) => setCoupon(e.target.value)}>
          <option value="">All coupons</option>
          {stats.data?.coupons.map((c) => (
            <option key={c.couponId} value={c.couponId}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField label="From" type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        <TextField label="To" type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        <button type="submit">Show</button>
      </form>
      <div className="presets" role="group" aria-label="Quick ranges">
        {[7, 30, 90].map((d) => (
          <button key={d} type="button" className="button-secondary button-small" onClick={() => preset(d)}>
            Last {d} days
          </button>
        ))}
      </div>
      <ErrorMessage error={rangeError ?? stats.error} />
      {stats.loading && <Loading />}
      {series && (
        <>
          {stats.data!.coupons.length === 0 && <p className="empty">No coupon activity in this range.</p>}
          <div className="charts" aria-busy={stats.loading}>
            {METRICS.map((m) => (
              <DayChart key={m.key} series={series} metric={m.key} label={m.label} color={m.color} />
            ))}
          </div>
          <details>
            <summary>Show the numbers as a table</summary>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    {METRICS.map((m) => (
                      <th key={m.key} scope="col">
                        {m.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {series.dates.map((d, i) => (
                    <tr key={d}>
                      <th scope="row">{d}</th>
                      {METRICS.map((m) => (
                        <td key={m.key}>{formatCount(series.values[m.key][i])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </>
  );
}
