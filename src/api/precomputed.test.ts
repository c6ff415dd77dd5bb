/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { describe, expect, it } from 'vitest';
import { parseCsvUpload, parseJsonUpload, splitCsvLine } from './precomputed-parse.js';
import { contractClient } from './contract.test-util.js';
import { AS, createTestApp } from './testing.test-util.js';

describe('precomputed upload parsing', () => {
  it('splits quoted CSV fields', () => {
    expect(splitCsvLine('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitCsvLine('"open')).toBeNull();
  });

  it('parses CSV with reasons and names each bad line and field', () => {
    expect(parseCsvUpload('client_id,product,score,reasons\r\n1,p1,0.5,"lag 1|june"\r\n')).toEqual([
      { clientId: '1', product: 'p1', score: 0.5, reasons: ['lag 1', 'june'] },
    ]);
    const e = (() => {
      try {
        parseCsvUpload('client_id,product,score\n1,p1,0.5\n2,p 2,x\n3,p3\n1,p1,0.1\n');
      } catch (x) {
        return x as { code: string; status: number; details: unknown };
      }
    })();
    expect(e).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
    expect(e?.details).toEqual([
      { line: 3, field: 'product', message: 'must match ^[A-Za-z0-9_.:-]{1,64}$' },
      { line: 3, field: 'score', message: 'must be a finite number' },
      { line: 4, field: 'line', message: 'expected 3 fields, got 2' },
    ]);
    expect(() => parseCsvUpload('id,product,score\n')).toThrow(/refused/);
    expect(() => parseCsvUpload('client_id,product,score\n')).toThrow(/refused/);
    expect(() => parseCsvUpload('client_id,product,score\n1,p,1\n1,p,2\n')).toThrow(
      expect.objectContaining({
        details: [{ line: 3, field: 'product', message: 'duplicate product p for client 1' }],
      }),
    );
  });

  it('parses JSON items and names each bad item by index', () => {
    expect(parseJsonUpload([{ client_id: 7, product: 'p', score: 1 }])).toEqual([
      { clientId: '7', product: 'p', score: 1, reasons: [] },
    ]);
    expect(() =>
      parseJsonUpload([
        { client_id: 7, product: 'p', score: '1' },
        5,
        { client_id: 1, product: 'q', score: 1, extra: 1 },
      ]),
    ).toThrow(
      expect.objectContaining({
        details: [
          { index: 0, field: 'score', message: 'must be a finite number' },
          { index: 1, field: 'item', message: 'must be an object' },
          { index: 2, field: 'extra', message: 'unknown field' },
        ],
      }),
    );
  });
});

describe('POST /v1/recommendations/load', () => {
  it('replaces the whole set atomically: a bad upload changes nothing', async () => {
    const t = await createTestApp();
    try {
      const c = await contractClient(t.app);
      const csv = { ...AS.admin, 'content-type': 'text/csv' };
      const load1 = await c.call(
        {
          method: 'POST',
          url: '/v1/recommendations/load',
          headers: csv,
          payload: 'client_id,product,score\n1,a,0.1\n1,b,0.9\n2,a,0.3\n',
        },
        200,
      );
      expect(load1.json()).toMatchObject({ rows: 3, clients: 2 });
      const reco = async (id: number) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/recommendations',
          headers: AS.api,
          payload: { client_id: id },
        });
      expect((await reco(1)).json().items.map((i: { product: string }) => i.product)).toEqual(['b', 'a']);
      const bad = await c.call(
        {
          method: 'POST',
          url: '/v1/recommendations/load',
          headers: csv,
          payload: 'client_id,product,score\n3,a,0.5\n4,a,oops\n',
        },
        422,
      );
      expect(bad.json().error.details).toEqual([
        { line: 3, field: 'score', message: 'must be a finite number' },
      ]);
      expect((await reco(1)).statusCode).toBe(200);
      expect((await reco(3)).statusCode).toBe(404);
      const load2 = await c.call(
        {
          method: 'POST',
          url: '/v1/recommendations/load',
          headers: AS.admin,
          payload: [{ client_id: 3, product: 'c', score: 2, reasons: ['seasonal'] }],
        },
        200,
      );
      expect(load2.json()).toMatchObject({ rows: 1, clients: 1 });
      expect(load2.json().load_id).toBeGreaterThan(load1.json().load_id);
      expect((await reco(1)).statusCode).toBe(404); // replaced, not merged
      expect((await reco(3)).json()).toMatchObject({
        source: 'precomputed',
        items: [{ product: 'c', reasons: ['seasonal'] }],
      });
      await c.call(
        {
          method: 'POST',
          url: '/v1/recommendations/load',
          headers: { ...AS.admin, 'content-type': 'application/xml' },
          payload: '<x/>',
        },
        415,
      );
      await c.call(
        { method: 'POST', url: '/v1/recommendations/load', headers: AS.admin, payload: { not: 'an array' } },
        400,
      );
    } finally {
      await t.close();
    }
  });
});
