import { describe, expect, it } from 'vitest';
import { fromRows } from '../matrix.js';
import { inferColumnType, selectColumns, toNumber } from './columns.js';
import { CategoryEncoder } from './encoders.js';
import { KnnImputer, columnStatistic } from './imputers.js';
import { ColumnPipeline } from './pipeline.js';
import { Scaler } from './scalers.js';

const X = fromRows([
  [1, 10],
  [2, NaN],
  [3, 30],
  [10, 40],
]);

describe('scalers', () => {
  it('standard, min-max and robust match hand-computed values; NaN passes through', () => {
    const st = new Scaler({ method: 'standard' }).fit(X).transform(X);
    // column 0: mean 4, population sd sqrt(12.5)
    expect(st.data[0]).toBeCloseTo((1 - 4) / Math.sqrt(12.5), 6);
    expect(Number.isNaN(st.data[3])).toBe(true);
    const mm = new Scaler({ method: 'minmax' }).fit(X).transform(X);
    [0, 1 / 9, 1].forEach((v, i) => expect(mm.data[[0, 2, 6][i]]).toBeCloseTo(v, 6));
    expect(mm.data[5]).toBeCloseTo(2 / 3, 6); // column 1: (30-10)/(40-10)
    const rb = new Scaler({ method: 'robust' }).fit(X);
    // column 0 sorted 1,2,3,10: median 2.5, q1 1.75, q3 4.75 → IQR 3
    expect(rb.transform(X).data[6]).toBeCloseTo((10 - 2.5) / 3, 6);
    expect(rb.inverseValue(0, rb.scaleValue(0, 7))).toBeCloseTo(7, 10);
    const constant = new Scaler({ method: 'standard' }).fit(fromRows([[5], [5]])).transform(fromRows([[5]]));
    expect(constant.data[0]).toBe(0);
  });
});

describe('imputers', () => {
  it('median and mean ignore missing values', () => {
    expect(Array.from(columnStatistic(X, 'median'))).toEqual([2.5, 30]);
    expect(columnStatistic(X, 'mean')[1]).toBeCloseTo(80 / 3, 6);
  });

  it('KNN fills with the mean of the nearest donors under NaN-Euclidean distance', () => {
    const train = fromRows([
      [0, 0, 1],
      [0.1, 0, 3],
      [10, 10, 100],
      [0, 0.2, NaN],
    ]);
    const imp = new KnnImputer({ k: 2 }).fit(train);
    const out = imp.transform(fromRows([[0, 0.1, NaN]]));
    expect(out.data[2]).toBeCloseTo(2, 6); // donors 0 and 1 (the third-closest lacks the value)
    const again = KnnImputer.fromJSON(
      JSON.parse(JSON.stringify(imp.toJSON())) as ReturnType<KnnImputer['toJSON']>,
    );
    expect(again.transform(fromRows([[0, 0.1, NaN]])).data[2]).toBeCloseTo(2, 6);
  });
});

describe('encoders and columns', () => {
  it('one-hot and ordinal with missing as a category or the mode; unseen categories', () => {
    const values = ['b', 'a', null, 'b'];
    const oh = new CategoryEncoder({ encoding: 'onehot' }).fit(values);
    expect(oh.categories).toEqual(['(missing)', 'a', 'b']);
    const out = new Float32Array(3);
    oh.encodeInto('b', out, 0);
    expect(Array.from(out)).toEqual([0, 0, 1]);
    oh.encodeInto('zzz', out, 0);
    expect(Array.from(out)).toEqual([0, 0, 0]);
    const ord = new CategoryEncoder({ encoding: 'ordinal', missing: 'mode' }).fit(values);
    expect(ord.categories).toEqual(['a', 'b']);
    ord.encodeInto(null, out, 0);
    expect(out[0]).toBe(1); // mode 'b'
    ord.encodeInto('zzz', out, 0);
    expect(out[0]).toBe(-1);
  });

  it('coerces cells, selects columns and infers types with clear errors', () => {
    expect(toNumber(' 3,5 ', 'x', 1)).toBe(3.5);
    expect(Number.isNaN(toNumber(null, 'x', 1))).toBe(true);
    expect(() => toNumber('abc', 'age', 7)).toThrow(/column age, row 7/);
    const set = {
      columns: ['a', 'b', 'c'],
      rows: [
        [1, 'x', '2'],
        [2, 'y', null],
      ],
    };
    expect(selectColumns(set, ['c', 'a']).rows).toEqual([
      ['2', 1],
      [null, 2],
    ]);
    expect(() => selectColumns(set, ['d'])).toThrow(/"d" not found/);
    expect(inferColumnType(set, 'b')).toBe('categorical');
    expect(inferColumnType(set, 'c')).toBe('numeric');
    expect(inferColumnType(set, 'a', 5)).toBe('categorical');
  });
});

describe('ColumnPipeline', () => {
  const set = {
    columns: ['age', 'income', 'job', 'housing'],
    rows: [
      [30, 1000, 'admin.', 'yes'],
      [45, null, 'technician', 'no'],
      ['52', 3000, 'admin.', null],
      [23, 1500, null, 'yes'],
      [61, 2500, 'retired', 'no'],
    ],
  };

  for (const [imputer, encoding] of [
    ['median', 'onehot'],
    ['knn', 'ordinal'],
  ] as const) {
    it(`${imputer}/${encoding}: names features, imputes, and round-trips through JSON with identical output`, () => {
      const p = new ColumnPipeline({
        numeric: ['age', 'income'],
        categorical: ['job', 'housing'],
        imputer,
        encoding,
        knn: { k: 2 },
        scaleEncoded: encoding === 'ordinal',
      }).fit(set);
      const m = p.transform(set);
      expect(m.cols).toBe(p.featureNames.length);
      expect(m.data.every((v) => Number.isFinite(v))).toBe(true);
      if (encoding === 'onehot') expect(p.featureNames).toContain('job=technician');
      const q = ColumnPipeline.fromJSON(
        JSON.parse(JSON.stringify(p.toJSON())) as ReturnType<ColumnPipeline['toJSON']>,
      );
      expect(Array.from(q.transform(set).data)).toEqual(Array.from(m.data));
      const rec = q.transformRecord({ age: 45, job: 'technician', housing: 'no' });
      expect(Array.from(rec)).toEqual(Array.from(m.data.subarray(m.cols, 2 * m.cols)));
      expect(p.unscale(0, m.data[0])).toBeCloseTo(30, 4);
    });
  }

  it('log-compresses listed columns before scaling and maps values back to raw units', () => {
    const p = new ColumnPipeline({
      numeric: ['age', 'income'],
      categorical: [],
      scaler: 'minmax',
      log: ['income'],
    }).fit(set);
    const m = p.transform(set);
    // income 1000 is the minimum → 0; 3000 the maximum → 1; 1500 sits at log-scale position.
    expect(m.data[1]).toBeCloseTo(0, 6);
    expect(m.data[2 * 2 + 1]).toBeCloseTo(1, 6);
    expect(m.data[3 * 2 + 1]).toBeCloseTo(
      (Math.log1p(1500) - Math.log1p(1000)) / (Math.log1p(3000) - Math.log1p(1000)),
      5,
    );
    expect(p.unscale(1, m.data[3 * 2 + 1])).toBeCloseTo(1500, 1);
    expect(p.resolveRecord({ age: 30, income: 2500 }).income).toBeCloseTo(2500, 1);
    expect(() => new ColumnPipeline({ numeric: ['age'], categorical: [], log: ['income'] })).toThrow(
      /log column income/,
    );
  });

  it('rejects bad specifications and text in numeric columns', () => {
    expect(() => new ColumnPipeline({ numeric: [], categorical: [] }).fit(set)).toThrow(/at least one/);
    expect(() => new ColumnPipeline({ numeric: ['job'], categorical: [] }).fit(set)).toThrow(
      /column job, row 1/,
    );
    expect(() => new ColumnPipeline({ numeric: ['age'], categorical: [] }).transform(set)).toThrow(/fit/);
    expect(() => ColumnPipeline.fromJSON({ kind: 'x' } as never)).toThrow(/column pipeline/);
  });
});
