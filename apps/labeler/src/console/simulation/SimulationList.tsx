/** Past simulations, newest first, with live progress for the ones still running. */
import type { SimulationView } from '@borda/api-contract';
import { Link } from 'react-router';
import { ErrorAlert, Loading, ProgressBar, StatusBadge } from '../../components/feedback';
import { formatDateTime, formatPercent } from '../../components/format';
import { useSimulationList } from './api';

function SimulationRow({ simulation }: { simulation: SimulationView }) {
  const created = formatDateTime(simulation.createdAt);
  return (
    <tr>
      <td>
        <Link to={`/console/simulations/${simulation.id}`}>{created}</Link>
      </td>
      <td>{simulation.config.environment}</td>
      <td className="simulation-strategies">{simulation.config.strategies.join(', ')}</td>
      <td>
        {simulation.config.budget} labels × {simulation.config.seeds} seeds
      </td>
      <td>
        <StatusBadge status={simulation.state} />
      </td>
      <td className="simulation-progress-cell">
        <ProgressBar value={simulation.progress} label={`Progress of the simulation created ${created}`} />
        <span className="muted">{formatPercent(simulation.progress, 0)}</span>
      </td>
    </tr>
  );
}

export function SimulationList() {
  const list = useSimulationList();
  const simulations = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="simulation-list-title">
      <h2 id="simulation-list-title">Past simulations</h2>
      {list.isPending && <Loading label="Loading simulations…" />}
      {list.isError && <ErrorAlert error={list.error} title="Could not load the simulations" />}
      {list.isSuccess && simulations.length === 0 && (
        <p className="muted">No simulations yet: launch one above to compare strategies on a synthetic environment.</p>
      )}
      {simulations.length > 0 && (
        <div className="table-scroll">
          <table className="simulation-table" aria-label="Past simulations">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Environment</th>
                <th scope="col">Strategies</th>
                <th scope="col">Size</th>
                <th scope="col">State</th>
                <th scope="col">Progress</th>
              </tr>
            </thead>
            <tbody>
              {simulations.map((simulation) => (
                <SimulationRow key={simulation.id} simulation={simulation} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="button"
          onClick={() => list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
