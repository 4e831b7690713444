/** What a simulation was asked to do, as launched (defaults the API filled in included). */
import type { SimulationView } from '@borda/api-contract';
import { formatDateTime, formatDuration, formatNumber } from '../../components/format';

export function ConfigSummary({ simulation }: { simulation: SimulationView }) {
  const { config } = simulation;
  const seedStart = config.seedStart ?? 1;
  const elapsed = simulation.finishedAt
    ? new Date(simulation.finishedAt).getTime() - new Date(simulation.createdAt).getTime()
    : null;
  const items: [string, string][] = [
    ['Environment', config.environment],
    ['Strategies', config.strategies.join(', ')],
    ['Budget', `${config.budget} labels per run`],
    ['Batch size', String(config.batchSize)],
    ['Seeds', `${config.seeds} (${seedStart}–${seedStart + config.seeds - 1})`],
    ['β', config.beta === undefined ? "each strategy's default" : formatNumber(config.beta, 2)],
    ['ε', config.epsilon === undefined ? '5% of the reward range' : formatNumber(config.epsilon)],
    [
      'Checkpoint every',
      config.checkpointEvery === undefined ? 'max(batch size, 10) labels' : `${config.checkpointEvery} labels`,
    ],
    ['Created', formatDateTime(simulation.createdAt)],
    ['Finished', simulation.finishedAt ? `${formatDateTime(simulation.finishedAt)} (${formatDuration(elapsed)})` : '—'],
  ];
  if (config.gridSize !== undefined) items.splice(7, 0, ['Grid size', `${config.gridSize} points per axis`]);
  return (
    <dl className="stat-list card">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
