/**
 * @module firebase — Firebase Auth for the console. On localhost it uses the Auth emulator with the
 * demo project; deployed, it reads the project's web config from Hosting's /__/firebase/init.json.
 */
import { initializeApp, type FirebaseOptions } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';

export const isLocal = ['127.0.0.1', 'localhost'].includes(window.location.hostname);

let auth: Promise<Auth> | undefined;

export function firebaseAuth(): Promise<Auth> {
  auth ??= (async () => {
    const options: FirebaseOptions = isLocal
      ? { apiKey: 'demo-key', projectId: 'demo-memory-weaver', authDomain: 'demo-memory-weaver.firebaseapp.com' }
      : ((await (await fetch('/__/firebase/init.json')).json()) as FirebaseOptions);
    const a = getAuth(initializeApp(options));
    if (isLocal) connectAuthEmulator(a, 'http://127.0.0.1:9099', { disableWarnings: true });
    return a;
  })();
  return auth;
}

/** Where the relay answers: port 3001 locally, else VITE_RELAY_URL at build time. */
export const RELAY_URL: string = isLocal
  ? `http://${window.location.hostname}:3001`
  : ((import.meta as unknown as { env: Record<string, string | undefined> }).env.VITE_RELAY_URL ??
    window.location.origin);
