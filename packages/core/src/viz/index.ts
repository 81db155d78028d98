export * from './raster.js';
export * from './attack-grid.js';
export { textWidth } from './font.js';
export { lossLandscape, type LossLandscape, type LossLandscapeOptions } from './landscape.js';
export { lossSurfaceFigure, coolwarm, type SurfacePanel, type SurfaceOptions } from './surface.js';
