/**
 * Strategy and reward model, from the API's catalogue: the chosen strategy's one-line explanation
 * under the select, every strategy explained in a list beside it, and the models the chosen
 * strategy cannot run on disabled (with 'auto' naming the model it stands for).
 */
import { MODEL_KIND_NAMES, type StrategyInfo } from '@borda/api-contract';
import { ErrorAlert, Loading } from '../../components/feedback';
import { FormField } from '../../components/FormField';
import { useCatalog } from './queries';

export interface StrategyFieldsProps {
  readonly strategy: string;
  readonly model: string;
  readonly onChange: (change: { strategy?: string; model?: string }) => void;
  readonly errors: { strategy?: string; model?: string };
}

/** The strategy in effect: the chosen one, else the catalogue's first (its recommended default). */
export function effectiveStrategy(strategies: readonly StrategyInfo[] | undefined, chosen: string) {
  return strategies?.find((s) => s.name === chosen) ?? (chosen === '' ? strategies?.[0] : undefined);
}

export function StrategyFields({ strategy, model, onChange, errors }: StrategyFieldsProps) {
  const catalog = useCatalog();
  const strategies = catalog.data?.strategies ?? [];
  const selected = effectiveStrategy(strategies, strategy);
  const models = catalog.data?.models?.length ? catalog.data.models : MODEL_KIND_NAMES;

  if (catalog.isPending) return <Loading label="Loading strategies…" />;
  if (catalog.isError) return <ErrorAlert error={catalog.error} title="The strategy catalogue could not be loaded" />;

  const chooseStrategy = (name: string) => {
    const next = strategies.find((s) => s.name === name);
    // A model the new strategy cannot run on falls back to the strategy's own default.
    const keepModel = model === 'auto' || (next?.compatibleModels.includes(model) ?? true);
    onChange({ strategy: name, model: keepModel ? model : 'auto' });
  };

  return (
    <div className="strategy-fields">
      <FormField
        id="campaign-strategy"
        label="Strategy"
        error={errors.strategy}
        hint={selected ? selected.description : 'Which comparisons to ask labelers for next.'}
      >
        {(control) => (
          <select {...control} value={selected?.name ?? strategy} onChange={(e) => chooseStrategy(e.target.value)}>
            {strategies.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <details className="strategy-list" open>
        <summary>What each strategy does</summary>
        <dl>
          {strategies.map((s) => (
            <div key={s.name} className={s.name === selected?.name ? 'is-selected' : undefined}>
              <dt>
                <code>{s.name}</code>
                {s.name === selected?.name && <span className="muted"> (selected)</span>}
              </dt>
              <dd>
                {s.description} <span className="muted">Default model: {s.defaultModel}.</span>
              </dd>
            </div>
          ))}
        </dl>
      </details>
      <FormField
        id="campaign-model"
        label="Reward model"
        error={errors.model}
        hint="auto uses the strategy's default model family; the others must be compatible with the strategy."
      >
        {(control) => (
          <select {...control} value={model} onChange={(e) => onChange({ model: e.target.value })}>
            <option value="auto">auto{selected ? ` (${selected.defaultModel})` : ''}</option>
            {models.map((kind) => {
              const compatible = !selected || selected.compatibleModels.includes(kind);
              return (
                <option key={kind} value={kind} disabled={!compatible}>
                  {kind}
                  {compatible ? '' : ` (not available with ${selected?.name})`}
                </option>
              );
            })}
          </select>
        )}
      </FormField>
    </div>
  );
}
