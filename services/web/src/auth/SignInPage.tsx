import { FormEvent, useEffect, useRef, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { apiUrl } from '../api/http';
import { FormError } from '../ui/forms';
import { Loading } from '../ui/Status';
import { useSession } from './SessionProvider';
import { HOME_OF } from './session';

/** Only paths inside this app are followed after sign-in (never another origin). */
export function safeReturnTo(value: string | null | undefined): string | undefined {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/sign-in') ? value : undefined;
}

export function SignInPage() {
  const { session, signIn, ended } = useSession();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  if (session) return <Navigate to={returnTo ?? HOME_OF[session.acting.role]} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email, password);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const sso = apiUrl('identity', '/auth/sso/start', { returnTo });
  return (
    <main id="main" className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Coaching workspace</h1>
        {ended && <p className="notice" role="status">{ended}</p>}
        <div className="field">
          <label htmlFor="email">E-mail</label>
          <input id="email" name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        <FormError error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="or">or</p>
        <a className="button secondary" href={sso}>
          Sign in with your institution (single sign-on)
        </a>
      </form>
    </main>
  );
}

/** The provider sends the browser here with code and state; identity exchanges them for our tokens. */
export function SsoCallbackPage() {
  const { completeSso } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // the code is single-use (StrictMode runs effects twice)
    started.current = true;
    completeSso(window.location.search.slice(1)).then(
      (returnTo) => navigate(safeReturnTo(returnTo) ?? '/', { replace: true }),
      setError,
    );
  }, [completeSso, navigate]);
  return (
    <main id="main" className="sign-in">
      <h1>Signing in…</h1>
      {error ? <FormError error={error} /> : <Loading what="your account" />}
      {Boolean(error) && <a href="/sign-in">Back to sign-in</a>}
    </main>
  );
}
