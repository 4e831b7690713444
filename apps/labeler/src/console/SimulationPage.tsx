/**
 * One simulation: its configuration, live progress (re-read every `pollIntervalMs` while queued or
 * running), its error if it failed, and once completed the regret curves and per-strategy results.
 */
import { Link, useParams } from 'react-router';
import { saveBlob } from '../components/download';
import { ErrorAlert, Loading, ProgressBar, StatusBadge } from '../components/feedback';
import { formatNumber, formatPercent } from '../components/format';
import { DEFAULT_POLL_MS, isUnfinished, useSimulation } from './simulation/api';
import { ConfigSummary } from './simulation/ConfigSummary';
import { curvesCsv, resultJson } from './simulation/downloads';
import { RegretChart } from './simulation/RegretChart';
import { ResultsTable, RunsTable } from './simulation/ResultsTable';
import './simulation/simulation.css';

const STATE_TEXT = {
  queued: 'Waiting for a worker.',
  running: 'Running: strategies × seeds runs are being simulated.',
  completed: 'Completed.',
  failed: 'Failed.',
} as const;

export function SimulationPage({ pollIntervalMs = DEFAULT_POLL_MS }: { pollIntervalMs?: number }) {
  const { simulationId = '' } = useParams();
  const query = useSimulation(simulationId, pollIntervalMs);
  const simulation = query.data;
  const result = simulation?.result;

  return (
    <div className="simulation-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/console/simulations">Simulations</Link>
        <span aria-hidden="true"> › </span>
        <span aria-current="page">Simulation</span>
      </nav>
      <h1>Simulation{simulation ? `: ${simulation.config.environment}` : ''}</h1>
      {query.isPending && <Loading label="Loading the simulation…" />}
      {query.isError && !simulation && <ErrorAlert error={query.error} title="Could not load the simulation" />}

      {simulation && (
        <>
          <section aria-labelledby="simulation-progress-title" className="card simulation-status">
            <h2 id="simulation-progress-title">Progress</h2>
            <div className="simulation-progress">
              <ProgressBar value={simulation.progress} label="Simulation progress" />
              <span className="simulation-percent">{formatPercent(simulation.progress, 0)}</span>
            </div>
            <p role="status">
              <StatusBadge status={simulation.state} /> {STATE_TEXT[simulation.state]}
              {isUnfinished(simulation.state) && <span className="muted"> This page updates by itself.</span>}
            </p>
            {query.isError && <ErrorAlert error={query.error} title="Could not refresh the progress" />}
            {simulation.state === 'failed' && (
              <div role="alert" className="alert alert-error">
                <strong>The simulation failed: </strong>
                {simulation.error ?? 'no error was recorded.'}
              </div>
            )}
          </section>

          <section aria-labelledby="simulation-config-title">
            <h2 id="simulation-config-title">Configuration</h2>
            <ConfigSummary simulation={simulation} />
          </section>

          {simulation.state === 'completed' && !result && (
            <p className="alert alert-warning">The simulation completed but stored no result.</p>
          )}
          {result && (
            <section aria-labelledby="simulation-results-title">
              <h2 id="simulation-results-title">Results</h2>
              <p className="muted">
                Environment {result.environment.name}: {result.environment.prompts} prompts,{' '}
                {result.environment.responses} responses, {result.environment.featureDimension}-dimensional features,
                reward range {formatNumber(result.environment.rewardRange, 2)}.
              </p>
              <RegretChart strategies={result.strategies} epsilon={result.epsilon} seeds={simulation.config.seeds} />
              <ResultsTable result={result} />
              <RunsTable result={result} />
              <div className="button-row">
                <button
                  type="button"
                  className="button"
                  onClick={() => saveBlob(resultJson(result), `simulation-${simulation.id}.json`)}
                >
                  Download results (JSON)
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => saveBlob(curvesCsv(result), `simulation-${simulation.id}-curves.csv`)}
                >
                  Download curves (CSV)
                </button>
              </div>
            </section>
          )}
        </>
      )}
    </div>
  );
}
