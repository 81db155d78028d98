export { loadMnist, mnistDataDir, type MnistSplit, type LoadMnistOptions } from './mnist.js';
export { writeFileAtomic, checkpointPath, saveCheckpoint, loadCheckpoint } from './checkpoint.js';
