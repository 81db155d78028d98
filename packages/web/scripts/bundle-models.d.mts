export interface BundledModel {
  file: string;
  name: string;
}
export interface BundledEntry extends BundledModel {
  description: string;
}
export declare const DEFAULT_MODELS_DIR: string;
export declare const DEFAULT_OUT_DIR: string;
export declare const DEFAULT_RESULTS_FILE: string;
export declare const DEFAULT_RESULTS_OUT: string;
export declare const BUNDLED_MODELS: BundledModel[];
export declare function readOnnxMetadata(bytes: Uint8Array): Record<string, string>;
export declare function describeTraining(metadata: Record<string, string>): string;
export declare function bundleModels(options?: { modelsDir?: string; outDir?: string }): BundledEntry[];
export declare function bundleResults(options?: { resultsFile?: string; outFile?: string }): boolean;
export declare const NOT_RUN: string;
