import { describe, expect, it } from 'vitest';
import { dpopModeFor } from '../../src/config/dpop-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { problemsOf } from './problems-of.js';

const TWO_ISSUERS = { AUTH_ISSUER: 'https://a.example,https://b.example', AUTH_AUDIENCE: 'https://api.example' };


describe('AUTH_DPOP and friends', () => {
  it('defaults to off, ES256/PS256/RS256/EdDSA proofs, 300 s, no nonce', () => {
    expect(loadConfig({}).token.dpop).toEqual({ mode: 'off', issuerModes: {}, algorithms: ['ES256', 'PS256', 'RS256', 'EdDSA'], proofMaxAgeSeconds: 300, nonce: false, publicUrl: undefined });
  });

  it('reads a default mode and per-issuer modes', () => {
    const dpop = loadConfig({ ...TWO_ISSUERS, AUTH_DPOP: 'allowed, https://b.example=required', AUTH_DPOP_NONCE: 'true', AUTH_DPOP_MAX_AGE: '60' }).token.dpop!;
    expect([dpopModeFor(dpop, 'https://a.example'), dpopModeFor(dpop, 'https://b.example')]).toEqual(['allowed', 'required']);
    expect(dpop).toMatchObject({ nonce: true, proofMaxAgeSeconds: 60 });
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['an unknown mode', { AUTH_DPOP: 'maybe' }, ['AUTH_DPOP']],
    ['an issuer that is not configured', { AUTH_DPOP: 'https://c.example=required' }, ['AUTH_DPOP']],
    ['an HMAC proof algorithm', { AUTH_DPOP: 'allowed', AUTH_DPOP_ALGORITHMS: 'ES256,HS256' }, ['AUTH_DPOP_ALGORITHMS']],
    ['a public URL with a query', { AUTH_DPOP: 'allowed', AUTH_PUBLIC_URL: 'https://api.example?x=1' }, ['AUTH_PUBLIC_URL']],
    ['DPoP on a public interface without AUTH_PUBLIC_URL', { AUTH_DPOP: 'allowed', HOST: '0.0.0.0' }, ['AUTH_PUBLIC_URL']],
    ['a proof window of one second', { AUTH_DPOP_MAX_AGE: '1' }, ['AUTH_DPOP_MAX_AGE']],
  ])('refuses %s, naming the variable', (_name, env, variables) => {
    expect(problemsOf({ ...TWO_ISSUERS, ...env })).toEqual(variables);
  });

  it('accepts DPoP on a public interface when AUTH_PUBLIC_URL says where clients call', () => {
    expect(problemsOf({ ...TWO_ISSUERS, AUTH_DPOP: 'allowed', HOST: '0.0.0.0', AUTH_PUBLIC_URL: 'https://api.example/' })).toEqual([]);
  });
});

describe('TLS_CLIENT_CA and the proxy certificate header (RFC 8705)', () => {
  const TLS = { TLS_CERT: '/c.pem', TLS_KEY: '/k.pem' };
  it.each<[string, Record<string, string>, string[]]>([
    ['a client CA without https', { TLS_CLIENT_CA: '/ca.pem' }, ['TLS_CLIENT_CA']],
    ['a certificate header believed from anyone', { TLS_CLIENT_CERT_HEADER: 'x-client-cert' }, ['TLS_CLIENT_CERT_PROXIES']],
    ['proxies that are not addresses', { TLS_CLIENT_CERT_HEADER: 'x-client-cert', TLS_CLIENT_CERT_PROXIES: 'proxy.internal' }, ['TLS_CLIENT_CERT_PROXIES']],
    ['proxies without a header', { TLS_CLIENT_CERT_PROXIES: '10.0.0.5' }, ['TLS_CLIENT_CERT_HEADER']],
  ])('refuses %s, naming the variable', (_name, env, variables) => {
    expect(problemsOf({ ...TWO_ISSUERS, ...env })).toEqual(variables);
  });

  it('reads a client CA with https, and a header with its proxies', () => {
    expect(loadConfig({ ...TWO_ISSUERS, ...TLS, TLS_CLIENT_CA: '/ca.pem' }).clientCertificates).toEqual({ caFile: '/ca.pem', header: undefined, proxies: [] });
    expect(loadConfig({ ...TWO_ISSUERS, TLS_CLIENT_CERT_HEADER: 'X-Client-Cert', TLS_CLIENT_CERT_PROXIES: '10.0.0.5, ::1' }).clientCertificates).toEqual({ caFile: undefined, header: 'x-client-cert', proxies: ['10.0.0.5', '::1'] });
  });
});
