/** Per strategy: where it ends, how fast it gets there, and what it costs (mean ± 95% CI over seeds). */
import type { SimulationResultView, SimulationStrategyResult } from '@borda/api-contract';
import { formatDuration, formatInterval, formatNumber } from '../../components/format';

function LabelsToEpsilon({ result }: { result: SimulationStrategyResult }) {
  const { meanCurve, reached } = result.labelsToEpsilon;
  const seeds = result.labelsToEpsilon.perSeed.length;
  return (
    <>
      {meanCurve === null ? 'not reached' : meanCurve}
      <div className="muted cell-note">
        {reached} of {seeds} seeds reach ε
      </div>
    </>
  );
}

function efficiencyText(ratio: number | null | undefined): string {
  if (ratio === undefined) return '—';
  if (ratio === null) return 'never reaches uniform';
  return `${formatNumber(ratio, 2)}×`;
}

export function ResultsTable({ result }: { result: SimulationResultView }) {
  const withEfficiency = result.strategies.some((s) => s.labelEfficiencyRatio !== undefined);
  const bestFinal = Math.min(...result.strategies.map((s) => s.final.subOptMax.mean));
  return (
    <div className="table-scroll">
      <table className="results-table" aria-label="Results per strategy">
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col">Final SubOpt_max</th>
            <th scope="col">Final SubOpt_mean</th>
            <th scope="col">Area under SubOpt_max (mean over the run)</th>
            <th scope="col">Labels to ε (mean curve)</th>
            {withEfficiency && <th scope="col">Label-efficiency ratio vs uniform</th>}
            <th scope="col">Wall time per run</th>
          </tr>
        </thead>
        <tbody>
          {result.strategies.map((s) => (
            <tr key={s.strategy}>
              <th scope="row">
                {s.strategy}
                <div className="muted cell-note">{s.modelKind}</div>
              </th>
              <td>
                {formatInterval(s.final.subOptMax.mean, s.final.subOptMax.halfWidth)}
                {s.final.subOptMax.mean === bestFinal && result.strategies.length > 1 && (
                  <span className="badge badge-best">best</span>
                )}
              </td>
              <td>{formatInterval(s.final.subOptMean.mean, s.final.subOptMean.halfWidth)}</td>
              <td>{formatInterval(s.area.mean, s.area.halfWidth)}</td>
              <td>
                <LabelsToEpsilon result={s} />
              </td>
              {withEfficiency && <td>{efficiencyText(s.labelEfficiencyRatio)}</td>}
              <td>
                {formatDuration(s.wallTimeMs.mean)}
                <div className="muted cell-note">{formatDuration(s.wallTimeMs.total)} in all</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted cell-note">
        ε = {formatNumber(result.epsilon)}. Labels to ε: the first label count after which SubOpt_max stays at or below
        ε.
        {withEfficiency &&
          ' Label-efficiency ratio: labels a strategy needs to reach uniform’s final SubOpt_max, over the budget (below 1 beats uniform).'}
      </p>
    </div>
  );
}

export function RunsTable({ result }: { result: SimulationResultView }) {
  return (
    <details className="runs-details">
      <summary>Every run ({result.runs.length})</summary>
      <div className="table-scroll">
        <table aria-label="Every run">
          <thead>
            <tr>
              <th scope="col">Strategy</th>
              <th scope="col">Seed</th>
              <th scope="col">Final SubOpt_max</th>
              <th scope="col">Final SubOpt_mean</th>
              <th scope="col">Wall time</th>
            </tr>
          </thead>
          <tbody>
            {result.runs.map((run) => (
              <tr key={`${run.strategy}-${run.seed}`}>
                <td>{run.strategy}</td>
                <td>{run.seed}</td>
                <td>{formatNumber(run.finalSubOptMax)}</td>
                <td>{formatNumber(run.finalSubOptMean)}</td>
                <td>{formatDuration(run.wallTimeMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
