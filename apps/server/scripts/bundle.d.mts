/** Types of bundle.mjs (a plain script, so `npm start` needs no TypeScript loader). */
export declare const entry: string;
export declare const outfile: string;
export declare const nodeFlags: string[];
export declare function bundleServer(): Promise<string>;
