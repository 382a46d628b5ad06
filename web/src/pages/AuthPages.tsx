import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/problem';
import { api } from '../api/endpoints';
import { useAuth } from '../app/auth';
import { Link, navigate, usePageTitle, useLocation } from '../app/router';
import { ErrorMessage, SelectField, TextField } from '../components/ui';

function afterLogin(role: string, next: string | null): string {
  if (next && next.startsWith('/') && !next.startsWith('//')) {
    return next;
  }
  return role === 'OWNER' ? '/owner/stores' : '/';
}

export function LoginPage() {
  usePageTitle('Log in');
  const { login } = useAuth();
  const { search } = useLocation();
  const [email, setEmail] = useState(search.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await login(email.trim(), password);
      navigate(afterLogin(me.role, search.get('next')), { replace: true });
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1 tabIndex={-1}>Log in</h1>
      {search.get('signedUp') && <p className="alert alert-success" role="status">Your account is ready. Log in to start.</p>}
      <form onSubmit={submit} noValidate className="form">
        <ErrorMessage error={error} />
        <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </section>
  );
}

export function SignupPage() {
  usePageTitle('Sign up');
  const [form, setForm] = useState({ email: '', password: '', name: '', role: 'SHOPPER' as 'SHOPPER' | 'OWNER' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { login } = useAuth();

  const check = () => {
    const found: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(form.email.trim())) found.email = 'must be a well-formed email address';
    if (form.password.length < 8 || form.password.length > 72) found.password = 'size must be between 8 and 72';
    const name = form.name.trim();
    if (name.length < 1 || [...name].length > 50) found.name = 'size must be between 1 and 50';
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = check();
    setErrors(found);
    setError(null);
    if (Object.keys(found).length > 0) {
      setError('Please correct the highlighted fields.');
      return;
    }
    setBusy(true);
    try {
      await api.signup({ email: form.email.trim(), password: form.password, name: form.name.trim(), role: form.role });
      const me = await login(form.email.trim(), form.password);
      navigate(afterLogin(me.role, null), { replace: true });
    } catch (err) {
      setError(messageOf(err));
      if (err instanceof ApiError) {
        setErrors(Object.fromEntries(err.errors.map((f) => [f.field, f.message])));
      }
      setBusy(false);
    }
  };

  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  return (
    <section className="narrow">
      <h1 tabIndex={-1}>Create an account</h1>
      <form onSubmit={submit} noValidate className="form">
        <ErrorMessage error={error} />
        <TextField label="Name" autoComplete="name" required value={form.name} onChange={set('name')} error={errors.name} />
        <TextField label="Email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} error={errors.email} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint="8 to 72 characters"
          value={form.password}
          onChange={set('password')}
          error={errors.password}
        />
        <SelectField label="I am a" value={form.role} onChange={set('role')} error={errors.role}>
          <option value="SHOPPER">Shopper: I claim coupons</option>
          <option value="OWNER">Store owner: I publish coupons</option>
        </SelectField>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Sign up'}
        </button>
      </form>
      <p>
        Already have an account? <Link href="/login">Log in</Link>
      </p>
    </section>
  );
}
