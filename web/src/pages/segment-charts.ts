/** ECharts options of the Segments page, built from the promoted segmentation's report. */
import type { ChartOption } from '../components/Chart';
import type { SegmentReport } from '../types';
import { PALETTE } from './segments-text';

const label = (r: SegmentReport, s: number) => `${s}: ${r.profiles[s]?.name ?? ''}`;

export function sizesOption(r: SegmentReport): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 60, right: 16, top: 16, bottom: 60 },
    xAxis: {
      type: 'category',
      data: r.sizes.map((_, s) => label(r, s)),
      axisLabel: { rotate: 20, fontSize: 10 },
    },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'bar',
        data: r.sizes.map((v, s) => ({ value: v, itemStyle: { color: PALETTE[s % PALETTE.length] } })),
      },
    ],
  };
}

/** Radar of the numeric means relative to the population (1 = average); bars when fewer than 3 axes. */
export function profilesOption(r: SegmentReport): ChartOption {
  const ratio = (s: number, col: string) => {
    const n = r.profiles[s].numeric.find((x) => x.column === col);
    if (!n || !Number.isFinite(n.mean) || !Number.isFinite(n.overall) || n.overall === 0) return 0;
    return Math.round((n.mean / n.overall) * 100) / 100;
  };
  // The features that tell the segments apart most (largest spread of the ratio), at most 10 axes.
  const spread = (col: string) => {
    const v = r.profiles.map((_, s) => ratio(s, col));
    return Math.max(...v) - Math.min(...v);
  };
  const columns = (r.profiles[0]?.numeric.map((n) => n.column) ?? [])
    .map((c) => ({ c, d: spread(c) }))
    .sort((a, b) => b.d - a.d)
    .slice(0, 10)
    .map((x) => x.c);
  if (columns.length >= 3) {
    const max = Math.max(1.5, ...r.profiles.flatMap((_, s) => columns.map((c) => ratio(s, c))));
    return {
      tooltip: {},
      legend: { type: 'scroll', bottom: 0 },
      radar: { indicator: columns.map((c) => ({ name: c, max: Math.ceil(max * 10) / 10 })), radius: '62%' },
      series: [
        {
          type: 'radar',
          data: r.profiles.map((p, s) => ({
            name: label(r, s),
            value: columns.map((c) => ratio(s, c)),
            lineStyle: { color: PALETTE[s % PALETTE.length] },
            itemStyle: { color: PALETTE[s % PALETTE.length] },
          })),
        },
      ],
    };
  }
  // Categorical data: the share of each segment's most common value, per feature.
  const cats = r.profiles[0]?.categorical.map((c) => c.column) ?? [];
  const axes = [...columns, ...cats];
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 50, right: 16, top: 16, bottom: 50 },
    xAxis: { type: 'category', data: axes },
    yAxis: { type: 'value' },
    series: r.profiles.map((p, s) => ({
      name: label(r, s),
      type: 'bar',
      itemStyle: { color: PALETTE[s % PALETTE.length] },
      data: axes.map((a) =>
        columns.includes(a)
          ? ratio(s, a)
          : Math.round((p.categorical.find((c) => c.column === a)?.lift ?? 0) * 100) / 100,
      ),
    })),
  };
}

export function projectionOption(r: SegmentReport): ChartOption {
  const ev = r.projection.explained_variance_ratio;
  return {
    tooltip: { trigger: 'item' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 50, right: 16, top: 16, bottom: 50 },
    xAxis: {
      type: 'value',
      name: `PC1 ${ev[0] !== undefined ? `${Math.round(ev[0] * 100)}%` : ''}`,
      scale: true,
    },
    yAxis: {
      type: 'value',
      name: `PC2 ${ev[1] !== undefined ? `${Math.round(ev[1] * 100)}%` : ''}`,
      scale: true,
    },
    series: r.sizes.map((_, s) => ({
      name: label(r, s),
      type: 'scatter',
      symbolSize: 5,
      itemStyle: { color: PALETTE[s % PALETTE.length], opacity: 0.7 },
      data: r.projection.points.filter((p) => p.segment === s).map((p) => [p.x, p.y]),
    })),
  };
}

export function kSelectionOption(
  r: SegmentReport,
  names: { inertia: string; silhouette: string },
): ChartOption {
  const ks = r.k_selection.map((x) => x.k);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [names.inertia, names.silhouette] },
    grid: { left: 64, right: 56, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: ks.map(String), name: 'k' },
    yAxis: [
      { type: 'value', name: names.inertia, scale: true },
      { type: 'value', name: names.silhouette, scale: true, splitLine: { show: false } },
    ],
    series: [
      {
        name: names.inertia,
        type: 'line',
        data: r.k_selection.map((x) => x.inertia),
        markLine: { symbol: 'none', data: [{ xAxis: String(r.k) }], label: { formatter: `k = ${r.k}` } },
      },
      { name: names.silhouette, type: 'line', yAxisIndex: 1, data: r.k_selection.map((x) => x.silhouette) },
    ],
  };
}
