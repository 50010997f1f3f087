/** The predictions that have feedback (alias `p`). */
export const withFeedback = '(p.true_value is not null or p.true_label is not null)';

/**
 * Copies predictions with feedback into labelled_examples, or — for one already copied — brings its truth and
 * feedback time up to date. `where` selects the prediction_logs rows (alias `p`); on SQLite it must be present
 * (an INSERT … SELECT … ON CONFLICT needs a WHERE to parse).
 */
export function copyLabelledExamplesSql(where: string, givenInput?: string): string {
  // `givenInput`: SQL for a parameter (the first one) holding the input to keep instead of the log's (which kept
  // only a hash of it, or nothing); it replaces an example's input too.
  const input = givenInput ?? 'p.input';
  return `insert into labelled_examples (prediction_id, service_version, model_name, model_version, owner_id, input, output,
      predicted_value, predicted_label, true_value, true_label, predicted_at, feedback_time, is_train_data)
    select p.id, p.service_version, p.model_name, p.model_version, c.owner_id, ${input}, p.output, p.predicted_value,
      p.predicted_label, p.true_value, p.true_label, p.created_at, coalesce(p.feedback_time, p.created_at), p.is_train_data
    from prediction_logs p left join service_calls c on c.id = p.service_call_id
    where ${where}
    on conflict (prediction_id) do update set true_value = excluded.true_value, true_label = excluded.true_label,
      feedback_time = excluded.feedback_time${givenInput ? ', input = excluded.input' : ''}`;
}
