/** Constants the start-up path needs, kept apart from the modules that load the SDK. */
export const defaultUrl = 'http://localhost:8080';
export const cliVersion = '0.1.0';
