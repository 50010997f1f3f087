/**
 * What each top-level command does, in one line: the one text both `mlapi --help` (which lists the commands before
 * loading any of them) and the command's own definition show.
 */
export const commandDescriptions = {
  login: 'Log in and store the token for this server URL (in $XDG_CONFIG_HOME/mlapi/credentials.json, mode 0600)',
  logout: 'Forget the stored token for this server URL (the token itself stays valid until it expires)',
  register: 'Create an account (inactive, without rights until an admin grants them)',
  whoami: 'Show the signed-in user, their role and rights',
  passwd: 'Change your password (every older token stops working; the CLI logs in again with the new one)',
  history:
    'Your service calls, newest first: time, service, model version, success, prediction id and result, duration, error',
  predict:
    'Predict with a model service (v1: spam or ham, v2: Boston house price, or the models the server serves instead)',
  models: 'The models behind the services and the input fields they take',
  feedback: 'Record the true value of one of your predictions (the service is named explicitly: v1 or v2)',
  metrics: 'Live metrics of a model service over the feedback received (admin)',
  admin: 'Manage users and their rights, and the served models (admin only)',
  keys: 'Your API keys for scripts (use one as --token or MLAPI_TOKEN)',
} as const;
