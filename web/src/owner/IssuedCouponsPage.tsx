import { useState } from 'react';
import { api } from '../api/endpoints';
import { messageOf } from '../api/problem';
import type { IssuedStatus } from '../api/types';
import { formatCount, formatDateTime, formatWon, groupedCode } from '../app/format';
import { Link, navigate, usePageTitle, useLocation } from '../app/router';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading, Pager, SelectField, StatusBadge } from '../components/ui';

const STATUS_LABELS: Record<IssuedStatus, string> = { ISSUED: 'Not used yet', REDEEMED: 'Used', EXPIRED: 'Expired' };

/** Saves a downloaded body under a file name: the browser's own download, from memory. */
function save(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The units claimed of one of the owner's coupons, newest first, by status, with the whole list as a CSV download
 * (every unit, whatever the filter: the export of the API).
 */
export function IssuedCouponsPage({ id }: { id: number }) {
  const { search } = useLocation();
  const status = (search.get('status') ?? '') as IssuedStatus | '';
  const page = Number(search.get('page') ?? 0) || 0;
  const coupon = useAsync(() => api.coupon(id), [id]);
  const issued = useAsync(() => api.issuedOfCoupon(id, status, page), [id, status, page]);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  usePageTitle(coupon.data ? `Claimed: ${coupon.data.name}` : 'Claimed coupons');
  const go = (next: { status?: IssuedStatus | ''; page?: number }) => {
    const params = new URLSearchParams();
    const s = next.status ?? status;
    if (s) params.set('status', s);
    if (next.page) params.set('page', String(next.page));
    const q = params.toString();
    navigate(`/owner/coupons/${id}/issued${q ? `?${q}` : ''}`, { replace: true });
  };
  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      save(await api.issuedOfCouponCsv(id), `coupon-${id}-issued-coupons.csv`);
    } catch (e) {
      setDownloadError(messageOf(e));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <>
      <p>
        <Link href="/owner/stores">← My stores</Link>
      </p>
      <h1 tabIndex={-1}>{coupon.data ? `Claimed: ${coupon.data.name}` : 'Claimed coupons'}</h1>
      <ErrorMessage error={coupon.error ?? issued.error ?? downloadError} />
      {coupon.data && (
        <p className="muted">
          {formatCount(coupon.data.issuedQuantity)} of {formatCount(coupon.data.totalQuantity)} claimed · <StatusBadge status={coupon.data.status} />
        </p>
      )}
      <div className="toolbar">
        <SelectField label="Show" value={status} onChange={(e) => go({ status: e.target.value as IssuedStatus | '', page: 0 })}>
          <option value="">All</option>
          {(Object.keys(STATUS_LABELS) as IssuedStatus[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <button type="button" className="button-secondary" onClick={download} disabled={downloading}>
          {downloading ? 'Preparing the CSV…' : 'Download all as CSV'}
        </button>
      </div>
      {issued.loading && !issued.data && <Loading />}
      {issued.data && issued.data.content.length === 0 && <p className="empty">Nothing claimed{status ? ' with this status' : ''} yet.</p>}
      {issued.data && issued.data.content.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Claimed coupons, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Shopper</th>
              <th scope="col">Status</th>
              <th scope="col">Claimed</th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {issued.data.content.map((unit) => (
              <tr key={unit.id}>
                <td>
                  <code>{groupedCode(unit.code)}</code>
                </td>
                <td>#{unit.userId}</td>
                <td>{STATUS_LABELS[unit.status]}</td>
                <td>{formatDateTime(unit.issuedAt)}</td>
                <td>
                  {unit.status === 'REDEEMED'
                    ? `${formatDateTime(unit.redeemedAt)} · order ${unit.orderId} · ${formatWon(unit.discountAmount ?? 0)} off`
                    : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {issued.data && <Pager page={issued.data.page} totalPages={issued.data.totalPages} onPage={(p) => go({ page: p })} />}
    </>
  );
}
