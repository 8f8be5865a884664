// Types of the parts of emulator-env.mjs that TypeScript scripts use.
export declare const PROJECT_ID: string;
export declare const DEV_ONLY_LOCAL_KEK: string;
export declare const localKekEnv: () => { MW_LOCAL_KEK: string };
