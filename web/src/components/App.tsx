import { useEffect, useState } from 'preact/hooks';
import type { AuthSession } from '../api/auth';
import { AuthScreen } from './AuthScreen';
import { Dashboard } from './Dashboard';

export function App({ auth }: { auth: AuthSession }) {
  const [user, setUser] = useState(auth.user);
  useEffect(() => auth.onChange(setUser), [auth]);
  // Keyed by user: signing in as someone else builds every store and the socket anew.
  return user ? <Dashboard key={user.id} auth={auth} /> : <AuthScreen auth={auth} />;
}
