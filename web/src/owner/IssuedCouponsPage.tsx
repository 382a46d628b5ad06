import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { messageOf } from '../api/problem';
import type { GrantResult, IssuedStatus } from '../api/types';
import { formatCount, formatDateTime, formatWon, groupedCode, randomId } from '../app/format';
import { parseShopperNumbers, refusalReason } from '../app/grants';
import { Link, navigate, usePageTitle, useLocation } from '../app/router';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading, Notice, Pager, SelectField, StatusBadge, TextAreaField } from '../components/ui';

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
 * Gives shoppers a unit each, by their shopper numbers (shown on their My coupons page). One key per text: sending the
 * same text again (a retry after a lost answer, a double click) gives nothing twice; a changed text is a new grant.
 */
function GrantForm({ couponId, onGranted }: { couponId: number; onGranted: () => void }) {
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<GrantResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(randomId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseShopperNumbers(text);
    if ('error' in parsed) {
      setFieldError(parsed.error);
      return;
    }
    setFieldError(undefined);
    setError(null);
    setBusy(true);
    try {
      setResult(await api.grant(couponId, parsed.ids, key));
      onGranted();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const given = result?.issued.length ?? 0;
  return (
    <form className="card grant-form" aria-label="Give this coupon to shoppers" onSubmit={submit} noValidate>
      <h2>Give to shoppers</h2>
      <TextAreaField
        label="Shopper numbers"
        hint="Separated by commas, spaces or lines; up to 1,000. Shoppers find their number on their My coupons page."
        rows={3}
        value={text}
        error={fieldError}
        onChange={(e) => {
          setText(e.target.value);
          setKey(randomId());
        }}
      />
      <ErrorMessage error={error} />
      {result && (
        <Notice>
          Given to {formatCount(given)} shopper{given === 1 ? '' : 's'}
          {result.refused.length > 0 ? `, not to ${formatCount(result.refused.length)}` : ''}.
        </Notice>
      )}
      {result && result.refused.length > 0 && (
        <ul className="refusals" aria-label="Not given">
          {result.refused.map((r) => (
            <li key={r.userId}>
              #{r.userId}: {refusalReason(r.code)}
            </li>
          ))}
        </ul>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Giving…' : 'Give coupons'}
      </button>
    </form>
  );
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
      {coupon.data?.status === 'ACTIVE' && (
        <GrantForm
          couponId={id}
          onGranted={() => {
            coupon.reload();
            issued.reload();
          }}
        />
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
