/**
 * The list of what stops a form from being sent, at its foot: each field problem links to (and
 * focuses) its field, so keyboard and screen-reader users get from the summary to the fix at once.
 */
export interface FieldProblem {
  /** The id of the input at fault. */
  readonly id: string;
  readonly label: string;
  readonly message: string;
}

export interface ErrorSummaryProps {
  /** What the problems stop, e.g. "the draft from being created". */
  readonly stops: string;
  readonly problems: readonly FieldProblem[];
  /** Problems that belong to no field. */
  readonly otherErrors?: readonly string[];
}

export function ErrorSummary({ stops, problems, otherErrors = [] }: ErrorSummaryProps) {
  const count = problems.length + otherErrors.length;
  if (count === 0) return null;
  return (
    <div role="alert" className="alert alert-error">
      <p>
        {count === 1 ? 'One problem stops' : `${count} problems stop`} {stops}:
      </p>
      <ul>
        {problems.map((problem) => (
          <li key={problem.id}>
            <a
              href={`#${problem.id}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(problem.id)?.focus();
              }}
            >
              {problem.label}
            </a>
            : {problem.message}
          </li>
        ))}
        {otherErrors.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}
