/**
 * `@mlapi/server/testing`: what the tests of the server, the SDK and the CLI start a real server with, and talk to
 * it over REST with. Never imported by the server itself.
 */
export * from './rest-client.ts';
export * from './test-server.ts';
