/**
 * Which offer-catalog product to write a text for when the recommender proposes a Santander
 * product: the nearest product of the shipped catalog (a current account → a debit card, a
 * short/medium/long deposit → a deposit…). A code the configured catalog lacks maps to null, as
 * do products without a counterpart (guarantees, tax payments).
 */
import type { SantanderProduct } from '../data/santander-schema.js';

export const OFFER_PRODUCT_OF: Readonly<Record<SantanderProduct, string | null>> = {
  ind_ahor_fin_ult1: 'SAVE_ACC',
  ind_aval_fin_ult1: null,
  ind_cco_fin_ult1: 'DC',
  ind_cder_fin_ult1: 'INVEST',
  ind_cno_fin_ult1: 'IZP',
  ind_ctju_fin_ult1: 'DC',
  ind_ctma_fin_ult1: 'DC',
  ind_ctop_fin_ult1: 'DC',
  ind_ctpp_fin_ult1: 'PREMIUM',
  ind_deco_fin_ult1: 'DEPOSIT',
  ind_deme_fin_ult1: 'DEPOSIT',
  ind_dela_fin_ult1: 'DEPOSIT',
  ind_ecue_fin_ult1: 'DC',
  ind_fond_fin_ult1: 'INVEST',
  ind_hip_fin_ult1: 'MORTG',
  ind_plan_fin_ult1: 'NSG',
  ind_pres_fin_ult1: 'ПК',
  ind_reca_fin_ult1: null,
  ind_tjcr_fin_ult1: 'CC',
  ind_valo_fin_ult1: 'INVEST',
  ind_viv_fin_ult1: 'SAVE_ACC',
  ind_nomina_ult1: 'IZP',
  ind_nom_pens_ult1: 'DEPOSIT',
  ind_recibo_ult1: 'DC',
};

/** The catalog product for a recommended product, when the catalog (its codes given) has it. */
export function offerProductOf(product: string, catalogCodes: ReadonlySet<string>): string | null {
  const code = (OFFER_PRODUCT_OF as Record<string, string | null>)[product] ?? null;
  return code !== null && catalogCodes.has(code) ? code : null;
}
