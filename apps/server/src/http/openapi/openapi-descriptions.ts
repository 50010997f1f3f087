/**
 * What each operation does, in a sentence or three, for the OpenAPI document (Swagger shows it under the summary).
 * Keyed by `METHOD path`; a test requires one for every operation, so a new route cannot go undescribed.
 */
export const operationDescriptions: Record<string, string> = {
  'POST /auth/create':
    'Creates an account: a plain user, **inactive and without rights** until an admin activates it and grants services. Fields such as `role` or `has_access_v1` in the body are ignored. New passwords need at least 8 characters (at most 72 bytes).',
  'POST /auth/token':
    'The OAuth2 password flow, as the original template: send the form (or JSON) and get a bearer token valid for ACCESS_TOKEN_EXPIRE_MINUTES. Every attempt is counted per username and per address before the password is checked; past the limit the answer is 429 with `Retry-After`.',
  'GET /user': 'The signed-in user: profile, role, rights and own quotas. An API key reads its owner.',
  'PUT /user/password':
    'Changes your password. The current password is checked like a login (and throttled with logins); every token issued before stops working. Needs a password sign-in, not an API key.',
  'GET /user/history':
    'Your calls to the model services, newest first: each with its outcome, error, timing and the model version that answered.',
  'POST /user/api-keys':
    'Creates a key for scripts, scoped to services. The key is in this reply only (`Cache-Control: no-store`); the server keeps its hash. A key may call its services and read your profile, history and usage — nothing else.',
  'GET /user/api-keys':
    'Your API keys, newest first, with their prefix, scope, last use and revocation — never the secret.',
  'DELETE /user/api-keys/{key_id}':
    'Revokes one of your keys: it stops working on its next use. Revoking twice is harmless.',
  'GET /admin/users': 'Every user, by id, with rights, role and quotas.',
  'GET /admin/users/{user_id}': 'One user.',
  'PUT /admin/users/{user_id}':
    "Activates or deactivates a user and grants or revokes each service; each field is optional and a role in the body changes nothing. Effective on the user's next request. The last active admin cannot be deactivated, and no admin can deactivate themself. Audited.",
  'DELETE /admin/users/{user_id}':
    'Deletes a user and their API keys; their calls stay in the log without an owner. The last active admin cannot be deleted, and no admin can delete themself. Audited.',
  'PUT /admin/users/{user_id}/role':
    'Makes a user an admin or a plain user. No admin can change their own role, and the last active admin cannot be demoted. Audited.',
  'PUT /admin/users/{user_id}/quota':
    'Sets how many calls per minute and per day the user may make to each service: `null` for the server default, `0` for unlimited. Audited.',
  'GET /admin/audit':
    'Every admin change, newest first: who, what (the validated input, never a password), to whom, when. `?user_id=` narrows to one user.',
  'POST /admin/create': 'Creates another admin: active, with both rights. Audited.',
  'POST /mlservice/v1/predict':
    'Classifies one e-mail (a raw RFC 822 message or just its text) as spam or ham. The reply adds `prediction_id` (for feedback) and the `model_version` that answered. Needs an active account with `has_access_v1`; counted against your quota; logged.',
  'POST /mlservice/v1/predict/batch':
    'Classifies up to MAX_BATCH_ITEMS mails in one call: one logged call, one prediction per item, in order.',
  'POST /mlservice/v1/feedback':
    "Records the true category of one of your v1 predictions (an admin may give it for anyone's); it feeds the live metrics.",
  'GET /mlservice/v1/metrics':
    'Accuracy, precision, recall, F1 and the confusion matrix of v1 over predictions with feedback in the window, per model version.',
  'GET /mlservice/v1/model':
    'The model behind v1: name, version, source (built-in or ONNX), labels, and the JSON Schemas of its input and reply.',
  'GET /mlservice/v1/healthcheck': 'Whether the v1 model is loaded and ready.',
  'POST /mlservice/v2/predict':
    'Predicts the median house value (US dollars, 1970s prices) from the named census features of a Boston-area tract. The reply adds `prediction_id` and `model_version`. Needs an active account with `has_access_v2`; counted against your quota; logged.',
  'POST /mlservice/v2/predict/batch':
    'Predicts up to MAX_BATCH_ITEMS houses in one call: one logged call, one prediction per item, in order.',
  'POST /mlservice/v2/feedback':
    "Records the true price of one of your v2 predictions (an admin may give it for anyone's); it feeds the live metrics.",
  'GET /mlservice/v2/metrics':
    'MAE, RMSE and R² of v2 over predictions with feedback in the window, per model version.',
  'GET /mlservice/v2/model':
    'The model behind v2: name, version, source (built-in or ONNX), and the JSON Schemas of its input and reply.',
  'GET /mlservice/v2/healthcheck': 'Whether the v2 model is loaded and ready.',
  'GET /admin/models':
    'What each service serves: model name, version, source, and for an ONNX model its directory and SHA-256.',
  'POST /admin/models/{service}/reload':
    "Loads the service's MODEL_DIR again beside the serving model and swaps it in: calls in flight finish on the old one. A model that would change the API's input or reply is refused (409) and the old one keeps serving. Audited.",
  'GET /admin/models/{service}/versions':
    "The service's model registry: every registered version (state, SHA-256 of its files, its files, its card, who registered it and when), which version was live when, the running rollout and the latest ones, newest first.",
  'POST /admin/models/{service}/versions':
    "Registers a model as a new version: `files`, the directory's files uploaded (base64; the body may be up to MAX_UPLOAD_BYTES, read only once the caller is known to be an admin), or `dir`, a directory the server can read (ONNX: model.onnx and manifest.json; or the built-in model's artifact files). Its files are stored in the database by content. Checked as a reload is; not live until promoted. Audited (the upload's file names and sizes, not its bytes).",
  'POST /admin/models/{service}/promote':
    'Makes a registered version live: loaded from its stored bytes and checked, recorded, swapped in without dropping a call; every replica follows. The version live before becomes `retired`. Damaged or unloadable files mark the version `failed` (409) and the live one keeps serving. Audited.',
  'POST /admin/models/{service}/rollback':
    'Stops the running rollout (its candidate returns to `registered`, the live version answers everyone); without one, makes the version live before the current one live again on every replica, and the current one returns to `registered`. Audited.',
  'GET /admin/models/{service}/compare':
    "Two versions of the service side by side over the same window: calls (with a shadow candidate's shadow predictions, counted in `shadow`), failures and failure rate, latency p50 and p99 of the successful calls, and quality on the feedback to their predictions (classifier: accuracy, precision, recall, F1 of the positive label, confusion; regressor: MAE, RMSE, R²) with its count. By default the latest rollout's candidate and baseline over its run (else name `candidate`; `baseline` defaults to the live version and the window to the last 24 hours). Read from rollups: as fast at a billion calls as at a thousand.",
  'GET /admin/models/{service}/drift':
    "What a model version was served, against the training distribution its card records: per input feature the population stability index (PSI) of the served values over the card's reference bins, its status (`ok`, `warn` from DRIFT_PSI_WARN = 0.1, `alert` from DRIFT_PSI_ALERT = 0.25), how many predictions and their mean; the same for its predictions (bins of the predicted value, or the share of each label); for text (v1) the out-of-vocabulary rate and the mean length in word tokens. Default: the live version over the last 24 hours. A card without reference bins (`has_reference: false`) has nothing to compare. Read from rollups written with the call log.",
  'PUT /admin/models/{service}/rollout':
    "Starts a rollout of a registered version beside the live one, on every replica within a second. As a shadow it predicts every call the live version answered, off the reply path (never delaying or failing a reply; at most SHADOW_QUEUE_MAX calls wait, more are dropped and counted in /metrics), its predictions stored and scored by the calls' feedback. As a canary it answers `percent` of users, each user always the same version while it runs (a hash of the rollout and the user); every reply's `model_version` says which answered. One rollout per service at a time (409). `POST …/promote` of the candidate ends it with the candidate live; `POST …/rollback` stops it. Audited.",
  'POST /admin/models/{service}/retrain':
    "Starts retraining the service's built-in model type in the background (202 with the job): on its base data set without the set's fixed held-out split plus every labelled example flagged for training, in a child process at lower CPU priority (RETRAIN_NICE). The candidate and the live version are then scored on the RETRAIN_EVAL_EXAMPLES most recent examples not flagged for training and on the held-out split (F1, accuracy and confusion, or MAE, RMSE and R², each with a bootstrap 95 % interval); the report and the gate's verdict are stored with the new version, which is registered (not live). `auto_shadow` starts its shadow rollout when the gate passes. One job per service at a time (409); a missing base data set is a 409 naming the fix. Audited.",
  'GET /admin/models/{service}/retrain/{job_id}':
    'A retraining job: `state` (running, succeeded, failed), `phase` (exporting, loading, featurising, training, evaluating, registering, done) and `progress` (mails, trees or epochs done of the total) while it runs; `error`, the evaluation report and whether a shadow rollout started once it ends. A job whose server stopped is failed and registered nothing.',
  'GET /admin/models/{service}/retrain': "The service's latest 20 retraining jobs, newest first.",
  'PUT /admin/datasets/{service}/train-data':
    "Sets `is_train_data` on the service's labelled examples (every prediction with feedback is one, kept after the raw logs are pruned) that match every filter given — `prediction_ids` (at most 10,000), `model_version`, `from`/`to` (when the prediction was made), `user_id`; none: all of them. Answers how many matched and how many changed. Audited (the number of ids named, not the ids).",
  'GET /admin/datasets/{service}':
    "Streams the service's labelled examples (every prediction with feedback), in the order their feedback first came, in constant memory: each with its prediction id, model version, input, output, predicted and true value, owner, times and `is_train_data`. `train_only=true` and a window (`from`/`to`, when the prediction was made) narrow it. JSONL by default, CSV with `format=csv`.",
  'GET /healthcheck': 'Whether the server is up, its database reachable and its models loaded (`degraded` otherwise).',
  'GET /admin/analytics/usage':
    'Usage of the services in a window (default the last 30 days, at most 366): totals, success rate, calls per service, hour of day, weekday and day (in `tz`), latency percentiles and the top users.',
  'GET /user/usage': 'The same usage figures over your own calls only.',
};
