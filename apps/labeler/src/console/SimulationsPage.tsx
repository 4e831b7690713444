/** Regret simulations: launch one (strategies × seeds on a synthetic environment) and browse past ones. */
import { ErrorAlert, Loading } from '../components/feedback';
import { useCatalog } from './simulation/api';
import { LaunchForm } from './simulation/LaunchForm';
import { SimulationList } from './simulation/SimulationList';
import './simulation/simulation.css';

export function SimulationsPage() {
  const catalog = useCatalog();
  return (
    <div className="simulation-page">
      <h1>Simulations</h1>
      <p className="muted page-lead">
        Compare selection strategies before spending real labels: each run labels a synthetic environment with simulated
        Bradley–Terry judgments and tracks how far the learned policy is from the best response (SubOpt).
      </p>
      {catalog.isPending && <Loading label="Loading strategies and environments…" />}
      {catalog.isError && (
        <div>
          <ErrorAlert error={catalog.error} title="Could not load the strategies and environments" />
          <button type="button" className="button" onClick={() => catalog.refetch()}>
            Try again
          </button>
        </div>
      )}
      {catalog.data && <LaunchForm catalog={catalog.data} />}
      <SimulationList />
    </div>
  );
}
