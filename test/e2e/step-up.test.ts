import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../helpers/authorization-server.js';
import { graphql } from '../helpers/http.js';
import { DEMO_OTP } from '../../src/dev/demo-accounts.js';
import { signInUser, startStack, type Stack } from './stack.js';

// RFC 9470 end to end: carol signs in with a password only and is told to step up; she signs in
// again asking for acr_values=mfa, gives the demo one-time code, and the action passes.
const CHANGE = 'mutation { changeEmail(email: "carol@new.example") { id email } }';
const carol = DEMO_ACCOUNTS.find((account) => account.username === 'carol')!;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

describe('step-up against oidc-provider', () => {
  it('a password login gets insufficient_user_authentication; an mfa login passes', async () => {
    const password = await signInUser(stack, carol, 'read:user read:email write:user');
    const first = await graphql(stack.url, CHANGE, { token: password.access_token });
    expect(first.json).toEqual({
      data: { changeEmail: null },
      errors: [{
        message: 'a stronger or more recent authentication is required',
        locations: [{ line: 1, column: 12 }],
        path: ['changeEmail'],
        extensions: { code: 'INSUFFICIENT_USER_AUTHENTICATION', acr_values: 'mfa', max_age: 300 },
      }],
    });
    // What the error says to ask for, as the authorization request's parameters (RFC 9470 §4).
    const { acr_values, max_age } = first.json.errors[0].extensions as { acr_values: string; max_age: number };
    const stepped = await signInUser(stack, { ...carol, otp: DEMO_OTP }, 'read:user read:email write:user', { acr_values, max_age: String(max_age), prompt: 'login consent' });
    const second = await graphql(stack.url, CHANGE, { token: stepped.access_token });
    expect(second.json).toEqual({ data: { changeEmail: { id: 'u3', email: 'carol@new.example' } } });
  });
});
