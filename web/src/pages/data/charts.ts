/** ECharts options of the Data page, built from the `/v1/data/eda` answer. */
import type { ChartOption } from '../../components/Chart';
import type { Bin, EdaAnswer, ValueCount } from './types';

type Fmt = (n: number, digits?: number) => string;

const short = (month: string) => month.slice(0, 7);
const grid = { left: 56, right: 16, top: 36, bottom: 40, containLabel: true };

export function popularityOption(eda: EdaAnswer, percent: (n: number) => string): ChartOption {
  const rows = [...eda.popularity].reverse(); // the most popular at the top
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => percent(v) },
    grid: { ...grid, left: 8, top: 8 },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => percent(v) } },
    yAxis: { type: 'category', data: rows.map((r) => r.code), axisLabel: { fontSize: 10 } },
    series: [{ type: 'bar', data: rows.map((r) => r.share), itemStyle: { color: '#0b5cad' } }],
  };
}

/** The `n` products with the largest sums of `values[m][p]`. */
function topProducts(values: number[][], n: number): number[] {
  const sums = values[0]?.map((_v, p) => values.reduce((s, row) => s + row[p], 0)) ?? [];
  return sums
    .map((s, p) => [s, p])
    .sort((a, b) => b[0] - a[0])
    .slice(0, n)
    .filter(([s]) => s > 0)
    .map(([, p]) => p);
}

export function ownershipOption(eda: EdaAnswer): ChartOption {
  const { months, held } = eda.ownership;
  const top = topProducts(held, 8);
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid,
    xAxis: { type: 'category', data: months.map(short) },
    yAxis: { type: 'value' },
    series: top.map((p) => ({
      name: eda.products[p].code,
      type: 'line',
      step: 'middle',
      showSymbol: months.length < 30,
      data: held.map((row) => row[p]),
    })),
  };
}

export function additionsOption(eda: EdaAnswer, other: string): ChartOption {
  const { months, added } = eda.additions;
  const top = topProducts(added, 6);
  const rest = added.map((row) => row.reduce((s, v, p) => (top.includes(p) ? s : s + v), 0));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { type: 'scroll', top: 0 },
    grid,
    xAxis: { type: 'category', data: months.map(short) },
    yAxis: { type: 'value' },
    series: [
      ...top.map((p) => ({
        name: eda.products[p].code,
        type: 'bar',
        stack: 'adds',
        data: added.map((row) => row[p]),
      })),
      { name: other, type: 'bar', stack: 'adds', data: rest, itemStyle: { color: '#9aa3b2' } },
    ],
  };
}

/** Additions per 100 clients, by calendar month (all years pooled). */
export function seasonalityOption(eda: EdaAnswer, monthNames: string[], number: Fmt): ChartOption {
  const adds = new Array<number>(12).fill(0);
  const clients = new Array<number>(12).fill(0);
  eda.additions.months.forEach((m, i) => {
    const k = Number(m.slice(5, 7)) - 1;
    adds[k] += eda.additions.total[i];
    clients[k] += eda.additions.clients[i];
  });
  const rate = adds.map((a, k) => (clients[k] > 0 ? (100 * a) / clients[k] : null));
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : number(v, 2)) },
    grid: { ...grid, top: 16 },
    xAxis: { type: 'category', data: monthNames },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: rate, itemStyle: { color: '#f0a202' } }],
  };
}

function binLabel(b: Bin, number: Fmt, first: boolean): string {
  if (b.to === null) return `≥ ${number(b.from)}`;
  if (first) return `< ${number(b.to)}`;
  return `${number(b.from)}–${number(b.to)}`;
}

export function histogramOption(bins: Bin[], number: Fmt, openFirst: boolean, color: string): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { ...grid, top: 16 },
    xAxis: {
      type: 'category',
      data: bins.map((b, i) => binLabel(b, number, openFirst && i === 0)),
      axisLabel: { rotate: 40, fontSize: 10 },
    },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', barCategoryGap: '4%', data: bins.map((b) => b.clients), itemStyle: { color } }],
  };
}

export function segmentsOption(segments: ValueCount[], empty: string): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        center: ['50%', '45%'],
        data: segments.map((s) => ({ name: s.value ?? empty, value: s.clients })),
      },
    ],
  };
}

export function channelsOption(eda: EdaAnswer, empty: string, other: string): ChartOption {
  const rows = [...eda.channels.top.map((c) => ({ name: c.value ?? empty, n: c.clients }))];
  if (eda.channels.other > 0) rows.push({ name: other, n: eda.channels.other });
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { ...grid, top: 16 },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { rotate: 40, fontSize: 10 } },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: rows.map((r) => r.n), itemStyle: { color: '#1b7f3b' } }],
  };
}
