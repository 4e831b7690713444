/**
 * The launch settings most simulations leave alone, in a disclosure the form opens by itself when
 * one of them is wrong. Empty optional fields are left out of the request (the simulator's defaults).
 */
import type { LaunchErrors, LaunchFormValues } from './form';
import { NumberField } from './NumberField';

export interface AdvancedLaunchFieldsProps {
  readonly values: LaunchFormValues;
  readonly errors: LaunchErrors;
  readonly open: boolean;
  readonly onToggle: (open: boolean) => void;
  readonly onChange: (patch: Partial<LaunchFormValues>) => void;
}

export function AdvancedLaunchFields({ values, errors, open, onToggle, onChange }: AdvancedLaunchFieldsProps) {
  const shared = { values, errors, onChange };
  return (
    <details
      className="launch-advanced"
      open={open}
      onToggle={(event) => onToggle((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Advanced</summary>
      <div className="number-fields">
        <NumberField
          {...shared}
          field="epsilon"
          label="ε (optional)"
          hint="Target worst-case regret of labels-to-ε; empty uses 5% of the reward range."
          min={0}
          step="any"
        />
        <NumberField
          {...shared}
          field="checkpointEvery"
          label="Checkpoint every (labels, optional)"
          hint="Labels between points of the regret curve, 1 to 2000; empty uses max(batch size, 10)."
          min={1}
          max={2000}
        />
        <NumberField
          {...shared}
          field="gridSize"
          label="Grid size (optional)"
          hint="Points per axis of the grid environments (branin, ackley, …), 2 to 60; empty uses the default."
          min={2}
          max={60}
        />
        <NumberField
          {...shared}
          field="environmentSeed"
          label="Environment seed"
          hint="Generates the environment, 0 to 1000000: the same seed gives every strategy the same world."
          min={0}
          max={1_000_000}
        />
        <NumberField
          {...shared}
          field="seedStart"
          label="Seed start"
          hint="Runs use seeds seed start, seed start + 1, … (0 to 1000000)."
          min={0}
          max={1_000_000}
        />
      </div>
    </details>
  );
}
