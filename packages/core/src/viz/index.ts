export * from './raster.js';
export * from './attack-grid.js';
export { textWidth } from './font.js';
