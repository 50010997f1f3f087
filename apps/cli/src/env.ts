/**
 * The CLI's own environment, read here and nowhere else: where `mlapi login` keeps its tokens. (MLAPI_URL and
 * MLAPI_TOKEN are read by the options that name them, through commander's `.env()`.)
 */
export interface CliEnv {
  XDG_CONFIG_HOME?: string | undefined;
  HOME?: string | undefined;
}

export const cliEnv = (): CliEnv => ({ XDG_CONFIG_HOME: process.env['XDG_CONFIG_HOME'], HOME: process.env['HOME'] });
