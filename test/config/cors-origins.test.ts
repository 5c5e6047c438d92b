import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

const PRODUCTION = { AUTH_ISSUER: 'https://issuer.example', AUTH_AUDIENCE: 'https://api.example', NODE_ENV: 'production' };

describe('CORS_ORIGINS', () => {
  it.each<[string, Record<string, string>, readonly string[]]>([
    ['unset: no origin', {}, []],
    ['one origin', { CORS_ORIGINS: 'https://app.example.com' }, ['https://app.example.com']],
    ['a comma list, spaces trimmed', { CORS_ORIGINS: ' http://127.0.0.1:4500 , https://app.example.com:8443' }, ['http://127.0.0.1:4500', 'https://app.example.com:8443']],
    ['"*" outside production', { CORS_ORIGINS: '*' }, ['*']],
  ])('%s', (_name, env, origins) => {
    expect(loadConfig(env).corsOrigins).toEqual(origins);
  });

  it.each<[string, Record<string, string>]>([
    ['"*" in production', { ...PRODUCTION, CORS_ORIGINS: '*' }],
    ['"*" mixed with origins', { CORS_ORIGINS: '*,https://app.example.com' }],
    ['a trailing slash', { CORS_ORIGINS: 'https://app.example.com/' }],
    ['a path', { CORS_ORIGINS: 'https://app.example.com/spa' }],
    ['no scheme', { CORS_ORIGINS: 'app.example.com' }],
    ['the default port written out', { CORS_ORIGINS: 'https://app.example.com:443' }],
    ['another scheme', { CORS_ORIGINS: 'file:///index.html' }],
    ['a wildcard subdomain', { CORS_ORIGINS: 'https://*.example.com' }],
  ])('refuses %s, naming CORS_ORIGINS', (_name, env) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['CORS_ORIGINS']);
  });
});
