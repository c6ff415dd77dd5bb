import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.js';

describe('Scheduler', () => {
  it('runs one job at a time, logs, and survives errors', async () => {
    const logs: string[] = [];
    let release: () => void = () => undefined;
    let calls = 0;
    const s = new Scheduler({
      cron: '0 3 * * *',
      now: () => new Date('2026-03-01T10:00:00Z'),
      log: (level, m) => logs.push(`${level}: ${m}`),
      job: async () => {
        calls++;
        if (calls === 1) await new Promise<void>((r) => (release = r));
        if (calls === 2) throw new Error('boom');
      },
    });
    s.start();
    expect(s.next?.toISOString()).toBe('2026-03-02T03:00:00.000Z');
    const first = s.trigger();
    expect(s.running).toBe(true);
    expect(await s.trigger()).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(await s.trigger()).toBe(true);
    await s.stop();
    expect(s.next).toBeNull();
    expect(calls).toBe(2);
    expect(logs[0]).toBe('info: retrain: started');
    expect(logs).toContain('warn: retrain: previous run still going, this one is skipped');
    expect(logs.filter((l) => /^info: retrain: done in \d+ ms$/.test(l))).toHaveLength(1);
    expect(logs.at(-1)).toBe('error: retrain: failed: boom');
  });

  it('fires on schedule', async () => {
    let fired = 0;
    const t0 = Date.now();
    // Fires at the next minute boundary of a clock set 50 ms before it.
    const s = new Scheduler({
      cron: '* * * * *',
      now: () => new Date(Math.ceil(t0 / 60000) * 60000 - 50 + (Date.now() - t0)),
      log: () => undefined,
      job: () => {
        fired++;
        return Promise.resolve();
      },
    });
    s.start();
    await new Promise((r) => setTimeout(r, 300));
    await s.stop();
    expect(fired).toBe(1);
  });

  it('rejects a bad expression', () => {
    expect(() => new Scheduler({ cron: '* *', job: () => Promise.resolve(), log: () => undefined })).toThrow(
      /needs 5 fields/,
    );
  });
});
