import { describe, expect, it } from 'vitest';
import { clientProfile, parseGender } from './features.js';

describe('client features', () => {
  it('reads a Dataset_Yakutia row: NULL, numbers as text, fractional age, segment letter', () => {
    const p = clientProfile({
      gender: '1',
      age: 52.68817204301075,
      cnt_tr_all_3m: '201',
      cnt_tr_oil_3m: '46',
      cnt_tr_mobile_3m: '7',
      cnt_tr_cash_3m: 'NULL',
      cnt_tr_buy_3m: '97',
      cnt_zp_12m: '33',
      cnt_dep_act: '0',
      sum_dep_now: 279.88,
      app_vehicle_ind: '0',
      app_position_type_nm: ' ',
      visit_purposes: 'DCARD',
      qnt_months_from_last_visit: 10,
      super_clust: 'a. Супер-ЗП (6,15)',
    });
    expect(p).toEqual({
      gender: 'female',
      age: 52.68817204301075,
      salaryMonths: 33,
      txAll: 201,
      txFuel: 46,
      txMobile: 7,
      txCash: null,
      txPurchases: 97,
      deposits: 0,
      depositSum: 279.88,
      vehicle: false,
      position: null,
      visitPurpose: 'DCARD',
      monthsSinceVisit: 10,
      segment: 'super_salary',
    });
    expect(clientProfile({ app_position_type_nm: '17' }).position).toBeNull();
    expect(
      clientProfile({ app_position_type_nm: 'руководитель (зам. рук-ля) подразделения' }).position,
    ).toMatch(/руковод/);
    expect(clientProfile({ super_clust: 'k. Без продукта (7,13,18)' }).segment).toBe('no_product');
  });

  it('reads a Santander row and plain JSON', () => {
    const s = clientProfile({ sexo: 'V', age: ' 35', segmento: '01 - TOP', renta: 87218.1 });
    expect([s.gender, s.age, s.segment]).toEqual(['male', 35, 'super_affluent']);
    expect(clientProfile({ sexo: 'H' }).gender).toBe('female');
    expect(parseGender({ gender: 'female' })).toBe('female');
    expect(parseGender({ gender: 0 })).toBe('male');
    expect(parseGender({ gender: 'NULL' })).toBe('unknown');
    expect(parseGender({})).toBe('unknown');
  });

  it('names the feature of a bad value', () => {
    expect(() => clientProfile({ cnt_dep_act: '-1' })).toThrow(/feature "cnt_dep_act": -1 is negative/);
    expect(() => clientProfile({ age: 'old' })).toThrow(/feature "age": "old" is not a number/);
    expect(() => clientProfile({ visit_purposes: { a: 1 } })).toThrow(/feature "visit_purposes"/);
    expect(() => parseGender({ gender: [1] })).toThrow(/feature "gender"/);
  });
});
