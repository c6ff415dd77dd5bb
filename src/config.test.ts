import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, loadConfig, describeConfig } from './config.js';
import { AppError } from './errors.js';

const root = path.resolve(import.meta.dirname, '..');

/** A valid non-default raw value for each kind, and what it parses to. */
function sample(kind: string): { raw: string; parsed: unknown } {
  switch (kind) {
    case 'int':
      return { raw: '7', parsed: 7 };
    case 'bool':
      return { raw: 'false', parsed: false };
    case 'url':
      return { raw: 'http://example.test:9000/x', parsed: 'http://example.test:9000/x' };
    case 'size':
      return { raw: '3GB', parsed: '3GB' };
    case 'path':
      return { raw: '/srv/nextoffer-test', parsed: '/srv/nextoffer-test' };
    case 'number':
      return { raw: '1.5', parsed: 1.5 };
    case 'fraction':
    case 'fraction?':
      return { raw: '0.25', parsed: 0.25 };
    default:
      return { raw: 'value-under-test', parsed: 'value-under-test' };
  }
}

describe('config', () => {
  it('binds every setting to its environment variable', () => {
    for (const [key, setting] of Object.entries(SETTINGS)) {
      const { raw, parsed } = sample(setting.kind);
      const config = loadConfig({ [setting.env]: raw }, '/base');
      expect(config[key as keyof typeof config], setting.env).toEqual(parsed);
    }
  });

  it('has defaults for every setting and resolves the data dir against the base dir', () => {
    const config = loadConfig({}, '/base');
    expect(config.dataDir).toBe('/base/data');
    expect(config.databaseUrl).toBe('');
    expect(config.threads).toBe(0);
    expect(config.s3ForcePathStyle).toBe(true);
  });

  it('names the variable and the rule on bad input', () => {
    expect(() => loadConfig({ NEXTOFFER_THREADS: 'two' })).toThrow(
      /NEXTOFFER_THREADS="two": must be a non-negative integer/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(AppError);
    expect(() => loadConfig({ S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/S3_FORCE_PATH_STYLE/);
    expect(() => loadConfig({ NEXTOFFER_MEMORY_LIMIT: 'lots' })).toThrow(/NEXTOFFER_MEMORY_LIMIT/);
    expect(() => loadConfig({ NEXTOFFER_CHALLENGER_SHARE: '1.5' })).toThrow(
      /NEXTOFFER_CHALLENGER_SHARE="1.5": must be between 0 and 1/,
    );
    expect(() => loadConfig({ NEXTOFFER_DRIFT_ALERT_PSI: '-1' })).toThrow(/must be a non-negative number/);
    expect(loadConfig({}).autoPromoteConfidence).toBeNull();
    expect(loadConfig({ NEXTOFFER_AUTO_PROMOTE_CONFIDENCE: '0.99' }).autoPromoteConfidence).toBe(0.99);
  });

  it('masks secrets when described', () => {
    const d = describeConfig(loadConfig({ DATABASE_URL: 'postgres://u:p@h/db', S3_SECRET_ACCESS_KEY: 's' }));
    expect(d.DATABASE_URL).toBe('***');
    expect(d.S3_SECRET_ACCESS_KEY).toBe('***');
    expect(d.S3_REGION).toBe('us-east-1');
  });

  it('is documented in the README table and in .env.example', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    for (const setting of Object.values(SETTINGS)) {
      expect(readme, `README documents ${setting.env}`).toContain(`| \`${setting.env}\``);
      expect(example, `.env.example lists ${setting.env}`).toMatch(new RegExp(`^#? ?${setting.env}=`, 'm'));
    }
  });
});
