import { useId, type InputHTMLAttributes, type Ref, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import type { Coupon } from '../api/types';
import { Link } from '../app/router';
import { conditionsLabel, discountLabel, formatCount, STATUS_LABELS } from '../app/format';

/** An error to show: the problem's detail, announced to screen readers. */
export function ErrorMessage({ error }: { error: string | null | undefined }) {
  if (!error) {
    return null;
  }
  return (
    <p className="alert alert-error" role="alert">
      {error}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="alert alert-success" role="status">
      {children}
    </p>
  );
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled control with its hint and its error (from the form's checks or the API's field errors). */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': described })}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

export function TextField(
  props: { label: string; error?: string; hint?: string; ref?: Ref<HTMLInputElement> } & InputHTMLAttributes<HTMLInputElement>,
) {
  const { label, error, hint, ...input } = props;
  return (
    <Field label={label} error={error} hint={hint}>
      {(a11y) => <input {...input} {...a11y} />}
    </Field>
  );
}

export function SelectField(
  props: { label: string; error?: string; hint?: string; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>,
) {
  const { label, error, hint, children, ...select } = props;
  return (
    <Field label={label} error={error} hint={hint}>
      {(a11y) => (
        <select {...select} {...a11y}>
          {children}
        </select>
      )}
    </Field>
  );
}

export function TextAreaField(
  props: { label: string; error?: string; hint?: string } & TextareaHTMLAttributes<HTMLTextAreaElement>,
) {
  const { label, error, hint, ...area } = props;
  return (
    <Field label={label} error={error} hint={hint}>
      {(a11y) => <textarea {...area} {...a11y} />}
    </Field>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

export function StatusBadge({ status }: { status: Coupon['status'] }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{STATUS_LABELS[status]}</span>;
}

export function CouponCard({ coupon }: { coupon: Coupon }) {
  const conditions = conditionsLabel(coupon);
  return (
    <li className="card coupon-card">
      <div className="card-top">
        <StatusBadge status={coupon.status} />
        <span className="store-name">{coupon.storeName}</span>
      </div>
      <h3>
        <Link href={`/coupons/${coupon.id}`}>{coupon.name}</Link>
      </h3>
      <p className="discount">{discountLabel(coupon)}</p>
      {conditions && <p className="muted">{conditions}</p>}
      <p className="muted">
        {formatCount(coupon.remainingQuantity)} of {formatCount(coupon.totalQuantity)} left
      </p>
    </li>
  );
}

export function Pager({ page, totalPages, onPage }: { page: number; totalPages: number; onPage: (page: number) => void }) {
  if (totalPages <= 1) {
    return null;
  }
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button-secondary" disabled={page <= 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page + 1} of {totalPages}
      </span>
      <button type="button" className="button-secondary" disabled={page + 1 >= totalPages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
