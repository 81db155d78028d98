export declare const DEFAULT_COUNT: number;
export declare const DEFAULT_OUT: string;
export declare function mnistDataDir(): string;
export declare function encodeDigits(count?: number, dataDir?: string): Buffer;
export declare function makeDigits(options?: { out?: string; count?: number }): string;
