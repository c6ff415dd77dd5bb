import { describe, expect, it } from 'vitest';
import { ModelHolder } from './model-holder.js';

/** A registry whose promoted version can be changed, and whose loads take a while. */
function registry() {
  const state = { promoted: 'v1', loads: 0, failNext: false };
  return {
    state,
    source: { promoted: () => Promise.resolve({ version: state.promoted }) },
    load: async (_name: string, version: string) => {
      state.loads++;
      await new Promise((r) => setTimeout(r, 20));
      if (state.failNext) {
        state.failNext = false;
        throw new Error('artifact missing');
      }
      return { version, weight: Number(version.slice(1)) };
    },
  };
}

describe('ModelHolder', () => {
  it('swaps atomically: no request fails while versions are promoted and loaded', async () => {
    const r = registry();
    const swaps: string[] = [];
    const holder = new ModelHolder({
      name: 'reco',
      source: r.source,
      load: r.load,
      intervalMs: 0,
      onSwap: (_n, from, to) => swaps.push(`${from}->${to}`),
    });
    await holder.start();
    let served = 0;
    let failures = 0;
    let stop = false;
    const request = async () => {
      const held = holder.current();
      if (!held) throw new Error('no model');
      await new Promise((res) => setTimeout(res, 1)); // work while a swap may happen
      if (held.model.version !== held.version) throw new Error('torn model');
      return held.model.weight;
    };
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop) {
        try {
          await request();
          served++;
        } catch {
          failures++;
        }
      }
    });
    for (const v of ['v2', 'v3', 'v4']) {
      r.state.promoted = v;
      expect(await holder.refresh()).toBe(true);
    }
    stop = true;
    await Promise.all(clients);
    expect(failures).toBe(0);
    expect(served).toBeGreaterThan(20);
    expect(swaps).toEqual(['null->v1', 'v1->v2', 'v2->v3', 'v3->v4']);
    expect(holder.current()?.version).toBe('v4');
    await holder.stop();
  });

  it('keeps the old model when a load fails, and does not reload an unchanged version', async () => {
    const r = registry();
    const errors: string[] = [];
    const holder = new ModelHolder({
      name: 'reco',
      source: r.source,
      load: r.load,
      intervalMs: 0,
      onError: (_n, m) => errors.push(m),
    });
    await holder.refresh();
    expect(await holder.refresh()).toBe(false);
    expect(r.state.loads).toBe(1);
    r.state.promoted = 'v2';
    r.state.failNext = true;
    expect(await holder.refresh()).toBe(false);
    expect(holder.current()?.version).toBe('v1');
    expect(errors).toEqual(['artifact missing']);
    expect(await holder.refresh()).toBe(true);
    expect(holder.current()?.version).toBe('v2');
  });

  it('polls the registry on its own', async () => {
    const r = registry();
    const holder = new ModelHolder({ name: 'reco', source: r.source, load: r.load, intervalMs: 10 });
    await holder.start();
    r.state.promoted = 'v7';
    for (let i = 0; i < 100 && holder.current()?.version !== 'v7'; i++)
      await new Promise((res) => setTimeout(res, 10));
    expect(holder.current()?.version).toBe('v7');
    await holder.stop();
  });
});

describe('modelHolderMetrics', () => {
  it('exports the served version as nextoffer_model_info and counts reloads', async () => {
    const { createMetrics } = await import('./metrics.js');
    const { modelHolderMetrics } = await import('./model-holder.js');
    const metrics = createMetrics();
    const r = registry();
    const holder = new ModelHolder({
      name: 'reco',
      source: r.source,
      load: r.load,
      intervalMs: 0,
      ...modelHolderMetrics(metrics),
    });
    await holder.refresh();
    r.state.promoted = 'v2';
    await holder.refresh();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/nextoffer_model_info\{name="reco",version="v2"\} 1/);
    expect(text).not.toMatch(/version="v1"/);
    expect(text).toMatch(/nextoffer_model_reloads_total\{name="reco",result="swapped"\} 2/);
  });
});
