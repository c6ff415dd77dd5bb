import { describe, expect, it } from 'vitest';
import { loadConfiguredCatalog } from '../offers/catalog.js';
import { SANTANDER_PRODUCTS } from '../data/santander-schema.js';
import { OFFER_PRODUCT_OF, offerProductOf } from './offer-products.js';

describe('offer-catalog products of recommended Santander products', () => {
  const catalog = loadConfiguredCatalog({ catalog: '' });
  const codes = new Set(catalog.products.map((p) => p.code));

  it('maps every Santander product, each to a product of the shipped catalog or to null', () => {
    expect(Object.keys(OFFER_PRODUCT_OF).sort()).toEqual([...SANTANDER_PRODUCTS].sort());
    for (const [product, code] of Object.entries(OFFER_PRODUCT_OF))
      if (code !== null) expect(codes.has(code), `${product} → ${code}`).toBe(true);
  });

  it('answers null for unknown products and for codes the configured catalog lacks', () => {
    expect(offerProductOf('ind_tjcr_fin_ult1', codes)).toBe('CC');
    expect(offerProductOf('ind_pres_fin_ult1', codes)).toBe('ПК');
    expect(offerProductOf('ind_aval_fin_ult1', codes)).toBeNull();
    expect(offerProductOf('no_such_product', codes)).toBeNull();
    expect(offerProductOf('ind_tjcr_fin_ult1', new Set(['DC']))).toBeNull();
  });
});
