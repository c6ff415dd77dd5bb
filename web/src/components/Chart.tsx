/**
 * `<Chart option={...} />`: an ECharts instance sized to its container, updated when `option`
 * changes and disposed on unmount. Only the chart types and components the pages use are
 * registered (tree-shaken `echarts/core`); a page needing another one adds it to `echarts.use`.
 */
import { BarChart, LineChart, PieChart, RadarChart, ScatterChart, HeatmapChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  RadarComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  DatasetComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  RadarChart,
  ScatterChart,
  HeatmapChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  RadarComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  DatasetComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartProps {
  option: ChartOption;
  height?: number;
  /** Accessible description of what the chart shows. */
  label: string;
  className?: string;
  testId?: string;
}

export function Chart({ option, height = 280, label, className, testId }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={ref}
      className={`chart ${className ?? ''}`}
      style={{ height }}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
