export { loadMnist, mnistDataDir, type MnistSplit, type LoadMnistOptions } from './mnist.js';
