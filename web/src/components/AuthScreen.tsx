import { useEffect, useRef, useState } from 'preact/hooks';
import type { AuthSession } from '../api/auth';
import { ApiError, describeError } from '../api/errors';
import { Logo } from './Logo';

type Mode = 'login' | 'signup';

export function AuthScreen({ auth }: { auth: AuthSession }) {
  const [mode, setMode] = useState<Mode>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => emailRef.current?.focus(), [mode]);
  useEffect(() => {
    if (waitUntil <= now) return undefined;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [waitUntil, now]);

  const waiting = Math.ceil((waitUntil - now) / 1000);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (mode === 'login') await auth.logIn(email, password);
      else await auth.signUp(email, password, name || undefined);
    } catch (err) {
      setError(describeError(err));
      if (err instanceof ApiError && err.retryAfterSec) {
        setWaitUntil(Date.now() + err.retryAfterSec * 1000);
        setNow(Date.now());
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={submit} aria-labelledby="auth-title" noValidate>
        <Logo />
        <h1 id="auth-title">{mode === 'login' ? 'Log in to trade' : 'Create your trading account'}</h1>
        <div class="segmented" role="tablist" aria-label="Log in or sign up">
          {(['login', 'signup'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={mode === m}
              class={mode === m ? 'active' : ''}
              onClick={() => {
                setMode(m);
                setError(null);
              }}
            >
              {m === 'login' ? 'Log in' : 'Sign up'}
            </button>
          ))}
        </div>
        <label>
          Email
          <input
            ref={emailRef}
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        {mode === 'signup' && (
          <label>
            Display name <span class="muted">(optional)</span>
            <input
              name="displayName"
              autoComplete="nickname"
              maxLength={80}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
        )}
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            minLength={10}
            maxLength={128}
            aria-describedby={mode === 'signup' ? 'pw-hint' : undefined}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {mode === 'signup' && (
          <p id="pw-hint" class="hint">
            10–128 characters, at least 4 different ones, not containing your email name.
          </p>
        )}
        <div role="alert" class="form-error" aria-live="assertive">
          {error}
          {waiting > 0 && <span> ({waiting} s left)</span>}
        </div>
        <button class="btn primary wide" type="submit" disabled={busy || waiting > 0}>
          {busy ? 'Please wait…' : mode === 'login' ? 'Log in' : 'Create account'}
        </button>
        <p class="fine">
          Simulated market data and a simulated broker unless you connect Alpaca paper in Settings.
        </p>
      </form>
    </main>
  );
}
