/**
 * The relay under a security and integrity review: administrators' tokens are checked for as long
 * as a socket lives, a join that races a disconnect leaks nothing, one caller or address can't
 * hold unbounded sockets, and a closed room names itself to an administrator too.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ID, adminAuth, adminIdToken, signIn } from '../support/emulators.js';
import { call, expectStatus, newAi } from '../support/http.js';
import {
  connectError,
  connected,
  request,
  startRelay,
  until,
  type ClientSocket,
  type RelayProcess,
} from '../support/relay.js';
import { relaySession } from '../support/relaySession.js';

const relay = relaySession();
const open = (auth?: Record<string, string>, url?: string) => relay.open(auth, url);
const disconnected = (s: ClientSocket) =>
  new Promise<void>((resolve) => {
    if (s.disconnected) resolve();
    else s.once('disconnect', () => resolve());
  });
const health = async (url = relay.url) =>
  (await (await fetch(`${url}/healthz`)).json()) as { rooms: number; seats: number; sockets: number };

/** Firebase counts token revocation in whole seconds: a token must be older than the revocation. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1_100));

describe("an administrator's token, checked for as long as the socket lives", () => {
  it.each([
    ['revoked', (uid: string) => adminAuth.revokeRefreshTokens(uid)],
    ['disabled', (uid: string) => adminAuth.updateUser(uid, { disabled: true }).then(() => undefined)],
  ])('refuses the next join and lets the socket go once the account is %s', async (_what, change) => {
    const ai = await newAi('Watched');
    const admin = await signIn({ admin: true });
    const s = open({ token: admin.idToken });
    await connected(s);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid })).toMatchObject({ ok: true });
    await nextSecond();
    await change(admin.uid);
    const gone = disconnected(s);
    const again = await request(s, 'join', { ai_uuid: ai.ai_uuid });
    expect(again).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    await gone;
  });

  it('refuses a message from an administrator demoted with promote-admin --demote', async () => {
    const ai = await newAi('Demoted');
    const email = `demoted-${Date.now()}@example.test`;
    const user = await adminAuth.createUser({ email, password: 'demoted-password' });
    await adminAuth.setCustomUserClaims(user.uid, { admin: true });
    const res = await fetch(
      `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'demoted-password', returnSecureToken: true }),
      },
    );
    const { idToken } = (await res.json()) as { idToken: string };
    const s = open({ token: idToken });
    await connected(s);
    expect(await request(s, 'message', { ai_uuid: ai.ai_uuid, text: 'hello' })).toMatchObject({ ok: true });
    await nextSecond();
    await promisify(execFile)(process.execPath, ['scripts/promote-admin.mjs', email, '--demote'], {
      env: { ...process.env, GCLOUD_PROJECT: PROJECT_ID },
    });
    expect(await request(s, 'message', { ai_uuid: ai.ai_uuid, text: 'still here?' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('closes the socket when the token it was opened with expires', async () => {
    const admin = await signIn({ admin: true });
    // The Auth emulator's tokens are unsigned, so a test can make one that expires in two seconds;
    // the relay verifies it like any other (issuer, audience, expiry, the user, revocation).
    const [header, payload] = admin.idToken.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, number>;
    const now = Math.floor(Date.now() / 1000);
    const short = { ...claims, iat: now, exp: now + 2 };
    const shortToken = `${header}.${Buffer.from(JSON.stringify(short)).toString('base64url')}.`;
    const s = open({ token: shortToken });
    await connected(s);
    const started = Date.now();
    await disconnected(s);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('a join that races a disconnect', () => {
  it('leaves no seat, room or presence behind when clients close while joining', async () => {
    const racer = await startRelay();
    try {
      const ai = await newAi('Racer');
      for (let i = 0; i < 30; i++) {
        const s = open({ api_key: ai.api_key }, racer.url);
        await connected(s);
        s.emit('join', { ai_uuid: ai.ai_uuid }, () => undefined);
        // Close at once or a moment later, so some closes land while the join awaits Firestore.
        if (i % 3 !== 0) await new Promise((r) => setTimeout(r, i % 7));
        s.close();
      }
      await expect.poll(async () => health(racer.url), { timeout: 10_000 }).toMatchObject({ rooms: 0, seats: 0 });
      const connectedNow = async () =>
        (await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: await adminIdToken() })).body.connected as boolean;
      await expect.poll(connectedNow, { timeout: 5_000 }).toBe(false);
    } finally {
      await racer.stop();
    }
  });
});

describe('socket limits', () => {
  let limited: RelayProcess;
  beforeAll(async () => {
    limited = await startRelay({ RELAY_MAX_SOCKETS_PER_CALLER: '3', RELAY_MAX_SOCKETS_PER_ADDRESS: '5' });
  });
  afterAll(async () => {
    await limited.stop();
  });

  it('refuses a key more sockets than its limit, and admits another once one closes', async () => {
    const ai = await newAi('Many sockets');
    const first = Array.from({ length: 3 }, () => open({ api_key: ai.api_key }, limited.url));
    await Promise.all(first.map(connected));
    const fourth = open({ api_key: ai.api_key }, limited.url);
    expect(await connectError(fourth)).toMatchObject({ data: { code: 'rate_limited' } });
    fourth.close();
    first[0]?.close();
    await until(() => first[0]?.disconnected === true, 'the first socket to close');
    await expect
      .poll(
        async () => {
          const s = open({ api_key: ai.api_key }, limited.url);
          try {
            await connected(s);
            return 'admitted';
          } catch {
            return 'refused';
          } finally {
            s.close();
          }
        },
        { timeout: 5_000 },
      )
      .toBe('admitted');
    for (const s of first) s.close();
  });

  it('refuses an address more sockets than its limit, whoever they speak for', async () => {
    const ais = await Promise.all(Array.from({ length: 6 }, (_, i) => newAi(`Address ${i}`)));
    // Let the sockets of the previous test go first: they count against this address too.
    await expect.poll(async () => (await health(limited.url)).sockets, { timeout: 5_000 }).toBe(0);
    const admitted = ais.slice(0, 5).map((ai) => open({ api_key: ai.api_key }, limited.url));
    await Promise.all(admitted.map(connected));
    const sixth = open({ api_key: (ais[5] as { api_key: string }).api_key }, limited.url);
    expect(await connectError(sixth)).toMatchObject({ data: { code: 'rate_limited' } });
    for (const s of [...admitted, sixth]) s.close();
  });
});

describe('a closed room', () => {
  it("names the AI to an administrator's socket, which keeps its other rooms", async () => {
    const doomed = await newAi('Doomed');
    const kept = await newAi('Kept');
    const s = open({ token: await adminIdToken() });
    await connected(s);
    await request(s, 'join', { ai_uuid: doomed.ai_uuid });
    await request(s, 'join', { ai_uuid: kept.ai_uuid });
    const closed = new Promise((resolve) => s.once('room_closed', resolve));
    expectStatus(await call('DELETE', `/v1/ais/${doomed.ai_uuid}`, { token: await adminIdToken() }), 200);
    expect(await closed).toEqual({ ai_uuid: doomed.ai_uuid, reason: 'ai_deleted' });
    const updates: string[] = [];
    s.on('memory_update', (u) => updates.push(u.ai_uuid));
    expectStatus(
      await call('POST', `/v1/ais/${kept.ai_uuid}/memories/working_memory`, {
        token: kept.api_key,
        body: { content: 'still followed' },
      }),
      201,
    );
    await until(() => updates.includes(kept.ai_uuid), 'an update of the room that stayed open');
  });
});
