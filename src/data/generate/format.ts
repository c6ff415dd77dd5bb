/**
 * Rows in the raw `train_ver2.csv` style, as measured on train_ver2_head.csv: quoted header and
 * `nomprov`, left-padded numbers (age width 3, antiguedad 7, ind_nuevo / indrel / tipodom / cod_prov /
 * ind_actividad_cliente / ind_nomina_ult1 / ind_nom_pens_ult1 width 2), `NA` for missing numbers,
 * empty strings for missing text, `1` and `1.0` mixed in indrel_1mes, blank-demographics rows, and
 * renta printed as a float (e.g. `122179.11000000002`). Static parts of a client's row are cached.
 */
import { Rng } from '../../ml/random.js';
import { SANTANDER_TRAIN_HEADER, addMonths, SANTANDER_FIRST_MONTH } from '../santander-schema.js';
import { SEGMENTS } from './features.js';
import { CLIENT_TABLES as T, RAW_QUIRKS } from './marginals.js';
import { COUNTRIES, PROVINCES } from './marginals-geo.js';
import { FLAG, INDREL_MES_MISSING, NONE, ageAt, type Population } from './population.js';
import { FROZEN_UNTIL } from './timeline.js';

export const HEADER_LINE = `${SANTANDER_TRAIN_HEADER.map((c) => `"${c}"`).join(',')}\n`;

const PAYROLL = 21;
const PENSION = 22;
const pad = (width: number, n: number) => String(n).padStart(width, ' ');
const AGE_TEXT = Array.from({ length: 256 }, (_, a) => pad(3, a));
const ANTIGUEDAD_TEXT = Array.from({ length: 1000 }, (_, k) => pad(7, k));
const BLANK_CLIENT = ',,,, NA,,NA,     NA,NA,,,,,,,,,NA,NA,"",NA,,,';
const MES_CODES = T.indrelMesCodes.map(([code]) => code);

/** The 24 product fields (with the trailing newline) of an ownership mask. */
function productText(mask: number, payrollNA: boolean): string {
  const parts: string[] = [];
  for (let p = 0; p < 24; p++) {
    const v = (mask >> p) & 1;
    if (p === PAYROLL || p === PENSION) parts.push(payrollNA ? 'NA' : ` ${v}`);
    else parts.push(String(v));
  }
  return `${parts.join(',')}\n`;
}

/** `YYYY-MM-DD` of month index `m` (from 2015-01) and `day`. */
export function dateText(m: number, day: number): string {
  return `${addMonths(SANTANDER_FIRST_MONTH, m).slice(0, 8)}${day < 10 ? '0' : ''}${day}`;
}

export class RowFormatter {
  private readonly head: (string | undefined)[];
  private readonly middle: (string | undefined)[];
  private readonly tail: (string | undefined)[];
  private readonly alta: (string | undefined)[];
  private readonly products = new Map<number, string>();
  private month = '';

  constructor(
    private readonly pop: Population,
    private readonly rng: Rng,
  ) {
    this.head = new Array<string | undefined>(pop.size);
    this.middle = new Array<string | undefined>(pop.size);
    this.tail = new Array<string | undefined>(pop.size);
    this.alta = new Array<string | undefined>(pop.size);
  }

  private productFields(mask: number, payrollNA: boolean): string {
    const key = payrollNA ? -1 : mask;
    let s = this.products.get(key);
    if (s === undefined) {
      s = productText(payrollNA ? 0 : mask, payrollNA);
      this.products.set(key, s);
    }
    return s;
  }

  private build(c: number): void {
    const pop = this.pop;
    const flags = pop.flags[c];
    const country = pop.country[c] === NONE ? 'ES' : COUNTRIES[pop.country[c]][0];
    this.head[c] =
      `${pop.ncodpers[c]},${T.employee[pop.employee[c]][0]},${country},${pop.male[c] ? 'V' : 'H'},`;
    this.alta[c] = dateText(pop.altaMonth[c], pop.altaDay[c]);
    const prov = pop.province[c] === NONE ? undefined : PROVINCES[pop.province[c]];
    this.middle[c] =
      `,${flags & FLAG.indresiN ? 'N' : 'S'},${flags & FLAG.indextS ? 'S' : 'N'},` +
      `${flags & FLAG.conyuempN ? 'N' : ''},${pop.canal[c] === NONE ? '' : T.canals[pop.canal[c]].code},` +
      `${flags & FLAG.indfallS ? 'S' : 'N'}, 1,${prov ? pad(2, prov.code) : 'NA'},"${prov ? prov.name : ''}",`;
    const renta = pop.rentaCents[c];
    this.tail[c] = `,${Number.isNaN(renta) ? '' : String(renta * 0.01)},${SEGMENTS[pop.segment[c]]},`;
  }

  /** Sets the month of the rows that follow. */
  setMonth(t: number): void {
    this.month = addMonths(SANTANDER_FIRST_MONTH, t);
  }

  /** One row of client c at month t holding `mask`. */
  row(c: number, t: number, mask: number): string {
    const pop = this.pop;
    const flags = pop.flags[c];
    if (flags & FLAG.blank && t < FROZEN_UNTIL) {
      const products = this.productFields(mask, (flags & FLAG.blankPayrollNA) !== 0);
      return `${this.month},${pop.ncodpers[c]}${BLANK_CLIENT}${products}`;
    }
    if (this.head[c] === undefined) this.build(c);
    // Before 2015-07 the raw file reports antiguedad (and ult_fec_cli_1t) as of 2015-07.
    const asOf = t < FROZEN_UNTIL ? FROZEN_UNTIL : t;
    const antiguedad = Math.max(0, asOf - pop.altaMonth[c]);
    const nuevo = antiguedad < 6 || (antiguedad === 6 && flags & FLAG.nuevoAtSix) ? ' 1' : ' 0';
    const leaving = flags & FLAG.leavesAs99 && t === pop.leave[c] - 1;
    const indrel = leaving ? '99' : ' 1';
    const ult = leaving ? dateText(asOf, 1 + this.rng.int(28)) : '';
    let mes = '';
    let tiprel = '';
    const code = pop.indrelMes[c];
    if (code !== INDREL_MES_MISSING) {
      const text = MES_CODES[code];
      mes = text !== 'P' && this.rng.next() < RAW_QUIRKS.indrelMesDecimal ? `${text}.0` : text;
      if (text === 'P') tiprel = 'R';
      else if (text === '3' || text === '4') tiprel = 'P';
      else tiprel = pop.tiprelDraw[c] < (pop.active[c] ? T.tiprelActive : T.tiprelInactive) ? 'A' : 'I';
    }
    return (
      `${this.month},${this.head[c]}${AGE_TEXT[Math.min(255, ageAt(pop, c, t))]},${this.alta[c]},${nuevo},` +
      `${ANTIGUEDAD_TEXT[Math.min(999, antiguedad)]},${indrel},${ult},${mes},${tiprel}${this.middle[c]}` +
      `${pop.active[c] ? ' 1' : ' 0'}${this.tail[c]}${this.productFields(mask, false)}`
    );
  }
}
