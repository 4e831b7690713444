import type { CampaignStats } from '@borda/api-contract';
import { Cell, Pie, PieChart, Tooltip } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatCount, formatPercent } from '../../../components/format';
import { CHART } from './theme';

interface Slice {
  readonly part: string;
  readonly labels: number;
}

/** The label budget as a ring: used and remaining. */
export function BudgetChart({ budget }: { budget: CampaignStats['budget'] }) {
  const remaining = Math.max(0, budget.total - budget.used);
  const share = budget.total > 0 ? budget.used / budget.total : 0;
  const rows: Slice[] = [
    { part: 'Used', labels: budget.used },
    { part: 'Remaining', labels: remaining },
  ];
  return (
    <ChartFigure<Slice>
      title="Budget used"
      description={`${formatCount(budget.used)} of ${formatCount(budget.total)} labels used (${formatPercent(share)}).`}
      rows={rows}
      columns={[
        { header: 'Part', value: (r) => r.part },
        { header: 'Labels', value: (r) => r.labels },
        { header: 'Share', value: (r) => formatPercent(budget.total > 0 ? r.labels / budget.total : 0) },
      ]}
    >
      <PieChart accessibilityLayer={false}>
        <Pie
          rootTabIndex={-1}
          data={rows}
          dataKey="labels"
          nameKey="part"
          innerRadius="55%"
          outerRadius="85%"
          isAnimationActive={false}
        >
          <Cell fill={CHART.primary} />
          <Cell fill={CHART.grid} />
        </Pie>
        <Tooltip />
      </PieChart>
    </ChartFigure>
  );
}
