/** Products held month by month: a heatmap, months across, products down. */
import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { Card } from '../../components/Layout';
import { useMessages } from '../../i18n';
import { CLIENT_TEXT } from './strings';
import type { ClientAnswer } from './types';

export function Timeline({ client }: { client: ClientAnswer }) {
  const t = useMessages(CLIENT_TEXT);
  const { months, codes, held } = client.timeline;
  const option = useMemo((): ChartOption => {
    const data: [number, number, number][] = [];
    held.forEach((row, m) => row.forEach((v, p) => data.push([m, p, v === null ? -1 : v])));
    const state = (v: number) => (v === 1 ? t('heldYes') : v === 0 ? t('heldNo') : t('heldUnknown'));
    return {
      tooltip: {
        formatter: (p: { value: [number, number, number] }) =>
          `${months[p.value[0]]}<br/>${codes[p.value[1]]}: ${state(p.value[2])}`,
      },
      grid: { left: 110, right: 12, top: 8, bottom: 56 },
      xAxis: { type: 'category', data: months.map((m) => m.slice(0, 7)), splitArea: { show: true } },
      yAxis: { type: 'category', data: codes, inverse: true, axisLabel: { fontSize: 10 } },
      visualMap: {
        type: 'piecewise',
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        pieces: [
          { value: 1, label: t('heldYes'), color: '#1b7f3b' },
          { value: 0, label: t('heldNo'), color: '#eef1f6' },
          { value: -1, label: t('heldUnknown'), color: '#c9ced8' },
        ],
      },
      series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
    };
  }, [months, codes, held, t]);
  return (
    <Card title={t('timeline')} wide>
      <Chart
        option={option}
        height={Math.max(320, codes.length * 18 + 80)}
        label={t('timelineLabel')}
        testId="client-timeline"
      />
    </Card>
  );
}
