/** The signed-in user for the whole app: `useSession()` gives the session and `can(permission)`. */
import { createContext, useContext } from 'react';
import type { Session } from './api';

export interface SessionState {
  session: Session;
  can: (permission: string) => boolean;
  signOut: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside of a signed-in app');
  return state;
}
